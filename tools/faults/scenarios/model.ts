/**
 * Model safety: every kind of unusable artifact (corrupt, truncated, foreign, future container,
 * feature-set mismatches, schema-invalid payloads in a valid container) is refused at every load
 * site — decodeModel, new Scorer, the worker's ModelCache when published as active, POST
 * /models/:version/activate, and the CLI's --model — and wherever a model is in service, the
 * previous one keeps serving. Real Redis (REDIS_URL or a redis-server started here), real CLI
 * processes.
 *
 *   tsx tools/faults/scenarios/model.ts [--quick]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { encodeModel, Scorer } from '../../../packages/core/src/index.ts';
import { syntheticJboss } from '../../../packages/core/src/testing/synthetic.ts';
import { startIngest } from '../../../services/ingest/src/test-support/harness.ts';
import { startRedisServer, type RedisHandle } from '../../../tests/setup/redis-server.ts';
import { uniquePrefix } from '../../../tests/setup/redis.ts';
import { siteActivate, siteCache, siteCli, siteDecode, siteScorer, openCacheSite, metaOf, type SiteResult } from '../fuzz/model-sites.ts';
import { badArtifacts, goodModels } from '../fuzz/models.ts';
import { finish, hasFlag, machine, onStop, table } from '../fuzz/report.ts';

const quick = hasFlag('quick');
let redisProc: RedisHandle | undefined;
const redisUrl = process.env['REDIS_URL'] ?? (redisProc = await startRedisServer()).url;
onStop(() => redisProc?.stop());
const ADMIN = 'model-admin-token';

const { v1, v2, seed } = goodModels();
const count = badArtifacts(v2, seed, 'v10').length;
/** Case i carries the label v(10+i), the version it is stored under. */
const cases = Array.from({ length: count }, (_, i) => ({ version: `v${10 + i}`, bad: badArtifacts(v2, seed, `v${10 + i}`)[i]! }));

const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
const cacheSite = await openCacheSite(redis, uniquePrefix('model-cache'), v1);
const h = await startIngest({ ADMIN_TOKEN: ADMIN, INGEST_TOKENS: 'model-ingest-token' }, { redisUrl });
await h.registry.store('v1', encodeModel(v1), metaOf(v1));
await h.registry.activate('v1');
h.models.scorer = new Scorer(v1);
const dir = mkdtempSync(join(tmpdir(), 'logforest-model-'));
const logFile = join(dir, 'server.log');
writeFileSync(logFile, `${syntheticJboss(50, 9, 1).lines.join('\n')}\n`);

const SITES = ['decodeModel', 'new Scorer', 'ModelCache (worker)', 'POST /models/:v/activate', 'CLI --model'] as const;
const rows: (string | number)[][] = [];
const failures: string[] = [];
const details: string[] = [];
for (const { version, bad } of cases) {
  const results: SiteResult[] = [
    siteDecode(bad),
    siteScorer(bad),
    await siteCache(cacheSite, bad, version, v1),
    await siteActivate(h, ADMIN, bad, version, v1),
    siteCli(bad, dir, logFile, version),
  ];
  const cells = results.map((r, i) => {
    const ok = r.refused && r.previousServes !== false && (i > 1 || bad.expect.test(r.detail));
    if (!ok) failures.push(`${bad.kind} at ${SITES[i]}: ${r.detail}${r.previousServes === false ? ' (previous model no longer serving)' : ''}`);
    return ok ? (r.previousServes ? 'yes, v1 serves' : 'yes') : 'NO';
  });
  rows.push([bad.kind, ...cells]);
  if (!quick || details.length < 3) details.push(`- ${bad.kind}: ${results[0]!.detail.slice(0, 140)}`);
}

// A good model still loads everywhere (the sites are not refusing everything).
const goodBlob = { kind: 'good', expect: /./, blob: encodeModel({ ...v2, version: 'v99' }) };
const goodCli = siteCli(goodBlob, dir, logFile, 'good');
const goodCache = await siteCache(cacheSite, goodBlob, 'v99', v1);
const goodChecks = table(
  ['good model v99 at', 'loaded'],
  [
    ['decodeModel', siteDecode(goodBlob).refused ? 'NO' : 'yes'],
    ['ModelCache (worker)', cacheSite.cache.version === 'v99' ? 'yes' : `NO (${goodCache.detail})`],
    ['CLI --model (exit 0)', goodCli.refused || !goodCli.detail.startsWith('exit 0') ? `NO (${goodCli.detail})` : 'yes'],
  ],
);
if (goodChecks.includes('NO')) failures.push(`a good model was not loaded:\n${goodChecks}`);
rmSync(dir, { recursive: true, force: true });
await cacheSite.close();
await h.close();
redis.disconnect();
await redisProc?.stop();

const body = [
  table(['artifact kind', ...SITES], rows),
  goodChecks,
  `Refusal messages (decodeModel):\n${details.join('\n')}`,
  `Machine: ${machine()}. "v1 serves": the model in service before (v1) still answers a score after the refusal; for the activate route the active pointer is unchanged. CLI runs are real processes (\`logforest score <log> --model <file>\`): refused = exit 2, the message "logforest: '<file>' is not a usable model: <why>" without a stack trace, no output.`,
].join('\n\n');
finish('Model safety: bad artifacts at every load site', body, failures);
