export {
  createModelCache,
  defaultLoadModel,
  ModelUnavailableError,
  type LoadModel,
  type ModelCache,
  type ModelCacheOptions,
  type SwapListener,
} from './model-cache.ts';
