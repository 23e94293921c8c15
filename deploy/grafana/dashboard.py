#!/usr/bin/env python3
"""Writes deploy/grafana/logforest.json: edit the panels here, then `python3 deploy/grafana/dashboard.py > deploy/grafana/logforest.json`."""
import json
DS = {"type": "prometheus", "uid": "${datasource}"}
panels = []
pid = [0]
y = [0]
def nid():
    pid[0] += 1
    return pid[0]
def row(title):
    panels.append({"type": "row", "title": title, "id": nid(), "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": y[0]}, "panels": []})
    y[0] += 1
x = [0]
rowh = [0]
def place(w, h):
    if x[0] + w > 24:
        x[0] = 0; y[0] += rowh[0]; rowh[0] = 0
    g = {"h": h, "w": w, "x": x[0], "y": y[0]}
    x[0] += w; rowh[0] = max(rowh[0], h)
    return g
def endrow():
    y[0] += rowh[0]; x[0] = 0; rowh[0] = 0
def targets(ts):
    return [{"datasource": DS, "refId": chr(65 + i), "expr": e, "legendFormat": l, "range": True} for i, (e, l) in enumerate(ts)]
def stat(title, expr, unit="short", legend="", desc="", w=4, decimals=None):
    p = {"type": "stat", "title": title, "id": nid(), "datasource": DS, "description": desc, "gridPos": place(w, 4),
         "targets": targets([(expr, legend)]),
         "fieldConfig": {"defaults": {"unit": unit, **({"decimals": decimals} if decimals is not None else {})}, "overrides": []},
         "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}, "colorMode": "value", "graphMode": "area", "textMode": "auto", "justifyMode": "auto", "orientation": "auto"}}
    panels.append(p)
def ts(title, tlist, unit="short", desc="", w=12, stack=False):
    p = {"type": "timeseries", "title": title, "id": nid(), "datasource": DS, "description": desc, "gridPos": place(w, 8),
         "targets": targets(tlist),
         "fieldConfig": {"defaults": {"unit": unit, "custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never", "stacking": {"mode": "normal" if stack else "none", "group": "A"}}}, "overrides": []},
         "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True}, "tooltip": {"mode": "multi", "sort": "desc"}}}
    panels.append(p)

R = "$__rate_interval"
WAITING = 'max(sum by (instance) (logforest_queue_jobs{queue="score", state=~"waiting|prioritized"}))'
row("Flow")
stat("Events in", 'sum(rate(logforest_ingest_events_enqueued_total[5m]))', "cps", desc="Events ingest acknowledged (Redis accepted their score jobs), per second over 5 min.")
stat("Events scored", 'max(rate(logforest_scored_events_total[5m]))', "cps", desc="Verdicts written by all workers (Redis totals, read by ingest), per second over 5 min.")
stat("Anomalies (1 h)", 'max(increase(logforest_anomalies_total[1h]))', "short", decimals=0, desc="Events flagged as anomalies in the last hour, all workers.")
stat("Score queue waiting", WAITING, "short", decimals=0, desc="Batches waiting for a worker. Past QUEUE_MAX_WAITING ingest answers 503.")
stat("Active model", 'max by (version) (logforest_model_info{service="ingest"})', "none", legend="{{version}}", desc="The version ingest (and /analyze) has in service.")
stat("Workers up", 'count(up{job="logforest-worker"} == 1) or vector(0)', "short", decimals=0, desc="Worker processes Prometheus scrapes successfully.")
endrow()
ts("Events in and scored", [
    (f'sum by (surface) (rate(logforest_ingest_events_enqueued_total[{R}]))', "in ({{surface}})"),
    (f'max(rate(logforest_scored_events_total[{R}]))', "scored"),
    (f'sum(rate(logforest_analyze_events_total[{R}]))', "/analyze"),
], "cps")
ts("Anomalies", [
    (f'max(rate(logforest_anomalies_total[{R}]))', "all workers"),
    (f'sum by (model_version) (rate(logforest_worker_anomalies_total[{R}]))', "model {{model_version}}"),
], "cps", desc="Anomalies per second; the alert LogforestAnomalyRateHigh fires at 5x the hour before.")
ts("Queue depth", [('max by (queue, state) (logforest_queue_jobs)', "{{queue}} {{state}}")], "short")
ts("Ingest to verdict latency", [
    (f'histogram_quantile(0.5, sum by (le) (rate(logforest_worker_end_to_end_latency_seconds_bucket[{R}])))', "p50"),
    (f'histogram_quantile(0.99, sum by (le) (rate(logforest_worker_end_to_end_latency_seconds_bucket[{R}])))', "p99"),
    (f'histogram_quantile(0.99, sum by (le) (rate(logforest_worker_batch_duration_seconds_bucket[{R}])))', "p99 scoring one batch"),
], "s")
ts("Worker batches", [(f'sum by (outcome) (rate(logforest_worker_batches_total[{R}]))', "{{outcome}}")], "ops", stack=True)
ts("Refused", [
    (f'sum by (surface, reason) (rate(logforest_ingest_requests_rejected_total[{R}]))', "requests {{surface}} {{reason}}"),
    (f'sum by (surface, reason) (rate(logforest_ingest_events_rejected_total[{R}]))', "events {{surface}} {{reason}}"),
], "reqps", desc="backpressure = 503/429 sent to shippers (they retry); the rest are client errors.")
ts("HTTP p99 by route", [(f'histogram_quantile(0.99, sum by (le, route) (rate(logforest_http_request_duration_seconds_bucket[{R}])))', "{{route}}")], "s", w=24)
endrow()
row("Alerts")
ts("Alerts", [
    (f'max(rate(logforest_alerts_queued_total[{R}]))', "queued"),
    (f'max(rate(logforest_alerts_delivered_total[{R}]))', "delivered"),
    (f'max(rate(logforest_alerts_failed_total[{R}]))', "failed"),
    (f'max by (reason) (rate(logforest_alerts_suppressed_total[{R}]))', "suppressed ({{reason}})"),
], "ops", desc="Suppressed: same signature and host within ALERT_DEDUP_WINDOW (dedup) or past ALERT_MAX_PER_MINUTE (rate).")
ts("Outbox and delivery", [
    ('max(logforest_alert_outbox_entries)', "outbox (batches waiting)"),
    (f'sum by (format, outcome) (rate(logforest_worker_alert_posts_total[{R}]))', "POST {{format}} {{outcome}}"),
], "short")
ts("Scored to alert accepted", [
    (f'histogram_quantile(0.5, sum by (le) (rate(logforest_worker_alert_delay_seconds_bucket[{R}])))', "p50"),
    (f'histogram_quantile(0.99, sum by (le) (rate(logforest_worker_alert_delay_seconds_bucket[{R}])))', "p99"),
], "s", w=24)
endrow()
row("Models and training")
ts("Training runs", [(f'sum by (trigger, outcome) (increase(logforest_trainer_runs_total[1h]))', "{{trigger}} {{outcome}}")], "short", desc="Runs in the last hour by trigger (schedule, request, bootstrap) and outcome.")
ts("Training duration", [(f'histogram_quantile(0.9, sum by (le, trigger) (rate(logforest_trainer_run_duration_seconds_bucket[1h])))', "p90 {{trigger}}")], "s")
ts("Model in service", [('logforest_model_active', "{{service}} {{instance}}")], "short", desc="1 = the process has an active model (trainer: the registry has one).")
ts("Model swaps", [(f'sum by (outcome) (increase(logforest_worker_model_swaps_total[{R}]))', "{{outcome}}")], "short")
endrow()
row("Processes")
ts("CPU", [(f'rate(logforest_process_cpu_seconds_total[{R}])', "{{job}} {{instance}}")], "percentunit")
ts("Resident memory", [('logforest_process_resident_memory_bytes', "{{job}} {{instance}}")], "bytes")
ts("Event-loop lag p99", [('logforest_nodejs_eventloop_lag_p99_seconds', "{{job}} {{instance}}")], "s")
ts("Heap used", [('logforest_nodejs_heap_size_used_bytes', "{{job}} {{instance}}")], "bytes")
ts("Scrape targets up", [('up{job=~"logforest-.*"}', "{{job}} {{instance}}")], "short", w=24)
endrow()

dash = {

    "__requires": [{"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.0.0"}, {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"}],
    "title": "logforest",
    "uid": "logforest",
    "description": "logforest: events in and scored, anomalies, queue, latency, alerts, models, processes. Jobs: logforest-ingest, logforest-worker, logforest-trainer (deploy/prometheus/prometheus.yml).",
    "tags": ["logforest", "logs", "anomaly-detection"],
    "editable": True,
    "graphTooltip": 1,
    "schemaVersion": 39,
    "version": 1,
    "refresh": "30s",
    "time": {"from": "now-1h", "to": "now"},
    "timepicker": {},
    "timezone": "",
    "annotations": {"list": []},
    "links": [],
    "templating": {"list": [{"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus", "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": []}]},
    "panels": panels,
}
print(json.dumps(dash, indent=2))
