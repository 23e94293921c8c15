/**
 * Fault scenario: overload. Capacity is measured with a short ramp, then 3× that is offered for
 * 60 s (--quick: 10 s) by a Fluent-Bit-like retrying client against a small QUEUE_MAX_WAITING.
 * Memory must stay bounded, backpressure must answer 503, and once the retries finish every
 * event sent must be acknowledged and scored. Prints a markdown section; exits 1 when an
 * invariant fails.
 *
 *   tsx tools/faults/scenarios/overload.ts [--quick] [--seconds 60] [--factor 3] [--workers 2]
 */
import { overloadMarkdown } from '../lib/overload-report.ts';
import { runOverload, type OverloadOptions } from '../lib/overload.ts';
import { linePool } from '../lib/requests.ts';
import { numberFlag, runScenario, scenarioFlags } from '../lib/util.ts';

const flags = scenarioFlags(['seconds', 'factor', 'workers', 'lines', 'max-waiting', 'concurrency']);
const opts: OverloadOptions = {
  overloadMs: numberFlag(flags, 'seconds', flags.quick ? 10 : 60) * 1000,
  factor: numberFlag(flags, 'factor', 3),
  rampStepMs: flags.quick ? 3000 : 6000,
  workers: numberFlag(flags, 'workers', 2),
  linesPerRequest: numberFlag(flags, 'lines', 500),
  maxWaiting: numberFlag(flags, 'max-waiting', 10),
  concurrency: numberFlag(flags, 'concurrency', 8),
  retryWindowMs: flags.quick ? 60_000 : 300_000,
};
await runScenario(async () => overloadMarkdown(await runOverload(opts), opts, linePool().origin));
