/**
 * The shared vocabulary of logforest. Every stage speaks these types:
 * formats → LogRecord → (join) → ParsedEvent → features → Verdict.
 */

/** One event as a shipper or a file delivered it. Nothing is thrown away: `line` is the original text. */
export interface LogRecord {
  /** Original event text. A multi-line event (Java stack trace) holds its lines joined by '\n'. */
  line: string;
  /** Event time as epoch milliseconds, when the shipper sent one. */
  ts?: number;
  /** Host name reported by the shipper. */
  host?: string;
  /** Source: file path, tag or stream name reported by the shipper. */
  source?: string;
  /** Other structured fields the shipper sent (kept, not interpreted). */
  fields?: Record<string, unknown>;
}

/** Line formats the parser recognises without configuration. */
export type LineFormat =
  | 'jboss' // yyyy-MM-dd HH:mm:ss,SSS LEVEL [category] (thread) message
  | 'jboss-console' // HH:mm:ss,SSS LEVEL [category] (thread) message
  | 'wildfly-json' // WildFly JSON formatter output
  | 'rfc5424' // <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG
  | 'rfc3164' // [<PRI>]Mmm dd HH:mm:ss host tag[pid]: msg
  | 'seed' // ISO-timestamp host component[pid]: message
  | 'log4j' // other "date time LEVEL ..." layouts (Hadoop, Zookeeper, Spark, HDFS, BGL, Apache)
  | 'unknown';

/** A parsed event. Strings are '' and numbers -1 / NaN when the line does not carry them. */
export interface ParsedEvent {
  format: LineFormat;
  /** Epoch ms of the event (UTC). NaN when no time could be read from the line or the record. */
  ts: number;
  /**
   * Wall-clock time as written in the line, encoded as epoch ms "as if UTC"
   * (so getUTCHours() is the hour the log shows). Feeds hour / dayofweek. NaN when unknown.
   */
  wall: number;
  /** Upper-case level (ERROR, WARN, INFO, …; syslog severities mapped to names). '' when none. */
  level: string;
  host: string;
  /** Syslog app/tag, or JBoss/log4j category (logger name). */
  component: string;
  /** Process id (syslog `[pid]`), -1 when none. */
  pid: number;
  /** JBoss thread name, '' when none. */
  thread: string;
  /** Message text of the first line, header removed. */
  message: string;
  /** Number of `\tat …` stack-frame lines joined into this event. */
  stackDepth: number;
  /** Number of `Caused by:` lines joined into this event. */
  causes: number;
  /** First Java exception class named in the event (e.g. java.net.BindException), '' when none. */
  exceptionClass: string;
  /** Lines joined into this event after the first. */
  continuationLines: number;
}

/** One feature's share in an anomaly score. */
export interface Contribution {
  feature: string;
  value: number;
  /** Share of the isolation attributed to this feature, 0..1, summing to ~1 over the explanation. */
  contribution: number;
}

/** What the model's history says about an event (verdict `familiarity`). Counts are count-min estimates (never below the truth). */
export interface Familiarity {
  /** The event's signature (same as the verdict's `signature`). */
  signature: string;
  /** Whether the signature occurred in the training events. */
  seen_in_training: boolean;
  /** Training events with the event's template. */
  template_count: number;
  /** Training events with the event's signature. */
  signature_count: number;
  /**
   * The entity where the event is rarest, e.g. "host=app3", "source=jboss", "category=org.jboss.as";
   * absent when the event names no entity.
   */
  entity?: string;
}

/** The verdict for one event: the seed's shape, extended (see DESIGN.md "Scores"). */
export interface Verdict {
  /** ISO-8601 time of the event (or of its receipt when the event carries none). */
  timestamp: string;
  /** The original event text. */
  log: string;
  /** Liu et al. score 2^(-E[h(x)]/c(ψ)) in (0, 1]; higher is more anomalous. */
  anomaly_score: number;
  /** anomaly_score > threshold. */
  is_anomaly: boolean;
  threshold: number;
  model_version: string;
  host?: string;
  source?: string;
  template?: string;
  template_id?: string;
  /** Upper-case level of the event (ERROR, WARN, …); null when the line carries none. */
  level?: string | null;
  /** Message code, else exception class (+ root cause), else `tpl:<template id>`; '' when none applies. */
  signature?: string;
  /** Present when the model carries a history (default feature set). */
  familiarity?: Familiarity;
  explanation?: Contribution[];
}
