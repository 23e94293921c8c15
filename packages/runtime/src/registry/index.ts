export { createModelRegistry, type ModelRegistry, type ModelRegistryOptions, type StoreMeta } from './registry.ts';
export { artifactMeta } from './artifact-meta.ts';
export {
  modelMetaSchema,
  modelStatusSchema,
  modelVersionSchema,
  validationReportSchema,
  parseMeta,
  type ModelMeta,
  type ModelStatus,
  type ValidationSummary,
} from './meta.ts';
export { ModelActiveError, ModelExistsError, ModelNotFoundError } from './errors.ts';
export { loadScript, type RedisScript, type ScriptArg } from './script.ts';
