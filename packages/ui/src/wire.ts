/**
 * The answers' shapes as the console reads them: only the fields it uses (everything else is shown
 * as it comes). Types only, no DOM, so `services/ingest/src/routes/openapi/console-types.test.ts` can hold them to the server's zod
 * schemas (`/openapi.json`'s): a field renamed on the server fails the typecheck there.
 */

export interface Familiarity {
  signature?: string;
  seen_in_training?: boolean;
  template_count?: number;
  signature_count?: number;
  entity?: string | null;
}

export interface Contribution {
  feature: string;
  value: number;
  contribution: number;
}

export interface Anomaly {
  id: string;
  timestamp: string;
  log: string;
  anomaly_score: number;
  threshold: number;
  model_version: string;
  host?: string;
  source?: string;
  template?: string;
  level?: string | null;
  signature?: string;
  familiarity?: Familiarity;
  explanation?: Contribution[];
  batchId?: string;
  receivedAt?: number;
  scoredAt?: number;
  [extra: string]: unknown;
}

export interface AnomaliesPage {
  items: Anomaly[];
  next_cursor: string | null;
}

export interface Validation {
  passed: boolean;
  reasons: string[];
  holdoutEvents?: number;
  [extra: string]: unknown;
}

export interface Model {
  version: string;
  createdAt: string;
  status: 'candidate' | 'active' | 'inactive' | 'rejected';
  active: boolean;
  trainedOn: { events: number; from?: string; to?: string };
  featureSet: { name: string; version: number };
  threshold: number;
  validation?: Validation;
  reasons?: string[];
  activatedAt?: string;
  trigger?: string;
  bytes?: number;
}

export interface ModelsAnswer {
  active: string | null;
  models: Model[];
}

export interface TrainStatus {
  id: string;
  state: string;
  progress?: { stage?: string };
  result?: { version?: string; status: string; trained: number; heldOut: number; reasons?: string[]; validation?: Validation };
  failedReason?: string;
}

export interface ThroughputSample {
  t: number;
  interval_ms: number;
  events_in: number;
  scored: number;
  anomalies: number;
  queue_waiting: number;
  queue_active: number;
  batches: number;
  latency_p50_ms: number | null;
  latency_p99_ms: number | null;
}

export interface ThroughputAnswer {
  interval_ms: number;
  window_ms: number;
  samples: ThroughputSample[];
}
