export { alertKey, alertSignature, eventLevel, severityOf, type AlertVerdict, type Severity } from './alert-key.ts';
export { startAlertDrainer, type AlertDrainer, type AlertDrainerOptions, type AlertDrainerStats } from './drain.ts';
export { ALERT_FORMATS, ALERT_NAME, alertmanagerEndpoint, buildAlertRequest, consoleLink, type AlertFormat, type AlertRequest, type FormatOptions } from './formats.ts';
export { OUTBOX_GROUP, decodeOutboxEntry, dedupKeepMs, type OutboxAlert, type OutboxEntry, type OutboxHeader, type OutboxOptions } from './outbox.ts';
