/**
 * Fault scenario: Redis restart mid-load. AOF on; redis-server is killed and started again on
 * the same port and directory while shippers keep posting: SIGKILL with appendfsync always (no
 * acknowledged event may be lost), SIGKILL with everysec (the loss bound is measured), SIGTERM
 * with everysec (a clean shutdown flushes the AOF: no loss). Prints a markdown section; exits 1
 * when an invariant fails.
 *
 *   tsx tools/faults/scenarios/redis.ts [--quick] [--seconds 40] [--rate 10]
 */
import { restartMarkdown, runRedisRestart, type RestartPhase, type RestartResult } from '../lib/redis-restart.ts';
import { numberFlag, runScenario, scenarioFlags } from '../lib/util.ts';

const flags = scenarioFlags(['seconds', 'rate', 'lines', 'workers']);
const seconds = numberFlag(flags, 'seconds', flags.quick ? 12 : 40);
const outage = flags.quick ? 2000 : 5000;
const rate = numberFlag(flags, 'rate', 10);
const lines = numberFlag(flags, 'lines', 500);
const workers = numberFlag(flags, 'workers', 2);
const phases: RestartPhase[] = flags.quick
  ? [{ fsync: 'always', signal: 'SIGKILL' }, { fsync: 'everysec', signal: 'SIGKILL' }]
  : [{ fsync: 'always', signal: 'SIGKILL' }, { fsync: 'everysec', signal: 'SIGKILL' }, { fsync: 'everysec', signal: 'SIGTERM' }];

await runScenario(async () => {
  const results: RestartResult[] = [];
  for (const p of phases) {
    results.push(await runRedisRestart({ ...p, loadMs: seconds * 1000, killAtMs: Math.round(seconds * 1000 * 0.35), outageMs: outage, ratePerSec: rate, linesPerRequest: lines, workers }));
  }
  const setup =
    `Each row is its own stack: redis-server (\`--appendonly yes --appendfsync <mode>\`), ingest, ${workers} workers, the trainer. ` +
    `Load ${rate} requests/s × ${lines} lines for ${seconds} s; Redis is killed ${(seconds * 0.35).toFixed(0)} s in and restarted ${outage / 1000} s later. ` +
    'The client retries 503 with back-off and Retry-After until acknowledged. "After" times count from the moment the restarted redis-server accepts connections; ' +
    'the training run is a `POST /retrain` of 2,000 lines sent then (it includes fitting).';
  return restartMarkdown(results, setup);
});
