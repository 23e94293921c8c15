export { FLOW_COUNTERS, SUPPRESSED_FIELDS, registerFlowMetrics, registerModelGauge, type FlowMetricsOptions } from './flow.ts';
export { METRIC_PREFIX, QUEUE_STATES, createMetricsRegistry, registerQueueDepth, type CountableQueue, type MetricsRegistryOptions } from './registry.ts';
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
