/**
 * The alertmanager format against a real Alertmanager (Debian's prometheus-alertmanager, installed
 * by .ci/run): the drainer's POST to /api/v2/alerts is accepted, and Alertmanager routes the
 * alerts by their labels — a FATAL-level event to the paging receiver, an ERROR one to the team
 * receiver — each a webhook served by this test. The example config in deploy/alertmanager passes
 * amtool's check.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys as keyNames } from '@logforest/core';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../../tests/setup/redis-server.ts';
import { testRedisUrl, uniquePrefix } from '../../../../../tests/setup/redis.ts';
import { which } from '../../../../../tools/start/redis.ts';
import { createResultWriter } from '../batch-writer/writer.ts';
import { startAlertDrainer } from './drain.ts';
import { anomalyVerdict, startReceiver, type Receiver } from './testing.ts';

const BINARY = which('prometheus-alertmanager') ?? which('alertmanager');
const AMTOOL = which('amtool');

interface Notification {
  receiver: string;
  status: string;
  alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }>;
}

describe.skipIf(!BINARY)('a real Alertmanager receives and routes the alerts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-am-'));
  let am: ChildProcess | undefined;
  let receiver: Receiver | undefined;
  afterAll(async () => {
    // Wait for Alertmanager to exit: it writes its state files on the way out, and removing the
    // folder under it failed the teardown with ENOTEMPTY on a loaded box.
    if (am && am.exitCode === null && am.signalCode === null) {
      const exited = new Promise((r) => am?.once('exit', r));
      am.kill('SIGTERM');
      await exited;
    }
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('accepts /api/v2/alerts and notifies by severity with host, source and signature', async () => {
    receiver = await startReceiver();
    const port = await freePort();
    writeFileSync(
      join(dir, 'am.yml'),
      [
        'route:',
        '  receiver: team',
        '  group_by: [alertname, signature, host]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  routes:',
        `    - matchers: ['severity="critical"']`,
        '      receiver: pager',
        'receivers:',
        '  - name: team',
        `    webhook_configs: [{ url: "${receiver.url}/team", send_resolved: false }]`,
        '  - name: pager',
        `    webhook_configs: [{ url: "${receiver.url}/pager", send_resolved: false }]`,
        '',
      ].join('\n'),
    );
    am = spawn(BINARY as string, [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { stdio: 'ignore' });
    const amUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${amUrl}/-/ready`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 200) throw new Error('alertmanager did not become ready');
      await new Promise((r) => setTimeout(r, 50));
    }

    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const prefix = uniquePrefix('am');
    const writer = createResultWriter({ redis, prefix, alerts: { dedupWindowMs: 60_000, maxPerMinute: 0, maxLen: 100 } });
    await writer.write({
      batchId: 'b1',
      receivedAt: Date.now(),
      records: 2,
      verdicts: [
        anomalyVerdict({ host: 'app1', signature: 'java.lang.OutOfMemoryError', level: 'FATAL', log: '2024-05-06 10:15:02,123 FATAL [x] (y) java.lang.OutOfMemoryError: Java heap space' }),
        anomalyVerdict({ host: 'app2', signature: 'WFLYCTL0013', level: 'ERROR' }),
      ],
    });
    const drainer = await startAlertDrainer({ redis: redis.duplicate(), prefix, format: 'alertmanager', url: amUrl, consoleUrl: 'https://console.example', logger: pino({ level: 'silent' }), blockMs: 100 });
    try {
      await receiver.waitAccepted(2, 20_000);
      expect(drainer.stats).toMatchObject({ delivered: 1, alerts: 2, retries: 0, refused: 0 });
      expect(await redis.xlen(keyNames(prefix).alertOutbox)).toBe(0);
    } finally {
      await drainer.close();
      await redis.quit();
    }
    const byPath = new Map(receiver.accepted().map((q) => [q.path, q.body as Notification]));
    const pager = byPath.get('/pager');
    const team = byPath.get('/team');
    expect(pager?.alerts.map((a) => a.labels)).toEqual([{ alertname: 'LogforestAnomaly', host: 'app1', source: 'jboss', signature: 'java.lang.OutOfMemoryError', severity: 'critical' }]);
    expect(team?.alerts.map((a) => a.labels)).toEqual([{ alertname: 'LogforestAnomaly', host: 'app2', source: 'jboss', signature: 'WFLYCTL0013', severity: 'error' }]);
    expect(pager?.status).toBe('firing');
    expect(pager?.alerts[0]?.annotations['description']).toContain('OutOfMemoryError: Java heap space');
    expect(team?.alerts[0]?.annotations['console_url']).toMatch(/^https:\/\/console\.example\/ui\/#\/anomalies\//);
  }, 60_000);

  it.skipIf(!AMTOOL)('the example deploy/alertmanager/alertmanager.yml passes amtool check-config', () => {
    const out = execFileSync(AMTOOL as string, ['check-config', new URL('../../../../../deploy/alertmanager/alertmanager.yml', import.meta.url).pathname], { encoding: 'utf8' });
    expect(out).toContain('SUCCESS');
  });
});
