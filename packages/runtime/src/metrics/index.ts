export { QUEUE_STATES, createMetricsRegistry, registerQueueDepth, type CountableQueue, type MetricsRegistryOptions } from './registry.ts';
export {
  LATENCY_BUCKETS_SECONDS,
  ingestMetrics,
  trainerMetrics,
  workerMetrics,
  type IngestMetrics,
  type RejectReason,
  type TrainerMetrics,
  type WorkerMetrics,
} from './services.ts';
