/**
 * Records every request's duration under its route-table name (never the raw path, which would
 * explode label cardinality) with method and status.
 */
import type { RequestHandler } from 'express';
import type { Histogram } from 'prom-client';

export function requestMetrics(histogram: Histogram<'route' | 'method' | 'status'>, route: string): RequestHandler {
  return (req, res, next) => {
    const end = histogram.startTimer({ route, method: req.method });
    res.once('finish', () => end({ status: String(res.statusCode) }));
    next();
  };
}
