/**
 * The web console in a real browser (Debian's chromium driven by playwright-core) against the
 * whole stack as `pnpm start` runs it (ingest, a worker, the trainer) on the test Redis:
 * sign in with the ingest token, post real-format JBoss lines (failures with stack traces, one
 * record per line) and see them appear in the live list, open one and read its stack trace,
 * try an admin action with the ingest token and see the refusal, sign in as admin, retrain
 * (progress to a result), roll back to v1 and see the active version change. Each page is
 * screenshotted into tests/ui/output/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../setup/redis-server.ts';
import { testRedisUrl, uniquePrefix } from '../setup/redis.ts';
import { ROOT, eventually, spawnTs, waitForHttp, type Proc } from '../stack/proc.ts';
import { failureEvents, ndjson, routineEvents } from '../e2e/jboss-lines.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(import.meta.dirname, 'output');
const INGEST_TOKEN = 'ui-ingest-token-7f21';
const ADMIN_TOKEN = 'ui-admin-token-93ad';
let base: string;
let stack: Proc;
let context: BrowserContext;
let page: Page;
let profile: string;

const post = (path: string, body: string, token = INGEST_TOKEN) =>
  fetch(`${base}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } });
const get = async (path: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json() as Promise<any>;
const shot = (name: string) => page.screenshot({ path: join(OUT, `${name}.png`) });

async function signIn(token: string): Promise<void> {
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.topbar');
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  stack = spawnTs({
    entry: 'tools/start.ts',
    cwd: ROOT,
    env: {
      REDIS_URL: testRedisUrl(),
      LOGFOREST_PREFIX: uniquePrefix('ui'),
      PORT: String(port),
      HOST: '127.0.0.1',
      // Off: the default 24224 is one fixed port, and parallel test files would fight over it.
      FORWARD_PORT: '0',
      INGEST_TOKENS: INGEST_TOKEN,
      ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      TRAIN_MIN_EVENTS: '300',
      TRAIN_INTERVAL_MS: '0',
      COLD_START_RETRY_MS: '300',
      MODEL_POLL_INTERVAL_MS: '1000',
      CONTAMINATION: '0.05',
      THROUGHPUT_SAMPLE_MS: '1000',
    },
  });
  profile = mkdtempSync(join(tmpdir(), 'lf-chromium-'));
  const [ctx] = await Promise.all([
    chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
    }),
    waitForHttp(`${base}/healthz`, stack, 60_000),
  ]);
  context = ctx;
  page = context.pages()[0] ?? (await context.newPage());
  // Cold start: routine traffic; the worker bootstraps model v1 from it.
  expect((await post('/ingest/jboss', ndjson(routineEvents(600, 11), 'web-1'))).status).toBe(202);
}, 90_000);

afterAll(async () => {
  await context?.close();
  await stack?.stop(30_000);
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the console in chromium', () => {
  it('live anomalies: posted failures appear, one opens with its stack trace', async () => {
    await page.goto(`${base}/ui`);
    expect(page.url()).toBe(`${base}/ui/`); // /ui → /ui/
    await page.waitForSelector('#token');
    await shot('signin');
    await signIn(INGEST_TOKEN);
    expect(await page.textContent('[data-testid=grant]')).toBe('read-only token');
    expect(await page.evaluate('sessionStorage.getItem("logforest.token")')).toBe('ui-ingest-token-7f21');

    await eventually('model v1', async () => ((await get('/models')).active === 'v1' ? true : undefined), 40_000, 300);
    const failures = failureEvents(4, 'uitest', 5);
    expect((await post('/ingest/jboss', ndjson(failures.flatMap((f) => f.split('\n')), 'db-7'))).status).toBe(202);
    // The page polls: the failures show up without a reload, one row per event (not per line).
    const row = page.locator('table.anomalies tbody tr', { hasText: 'uitest' });
    await row.first().waitFor({ timeout: 20_000 });
    await eventually('4 failure rows', async () => ((await row.count()) === 4 ? true : undefined), 10_000);
    expect(await row.first().locator('td').nth(1).textContent()).toBe('db-7');
    await row.first().click();
    const event = page.locator('[data-testid=event-text]');
    await event.waitFor();
    const text = (await event.textContent()) as string;
    expect(text).toContain('WFLYCTL0013: Operation failed');
    expect(text).toMatch(/\n\tat org\.acme\.ledger\.internal\.Layer\d\.call\d+\(Layer\d\.java:\d+\)/);
    expect(text).toContain('Caused by: java.net.SocketTimeoutException');
    // Filters: text on the page, host on the server.
    await page.fill('input[name=text]', 'no-such-text-anywhere');
    await page.locator('.empty', { hasText: 'No anomaly matches' }).waitFor();
    await page.fill('input[name=text]', 'uitest');
    await row.first().waitFor();
    await shot('anomalies');
  }, 60_000);

  it('an admin action with the ingest token shows the refusal', async () => {
    await page.click('a[data-page=models]');
    await page.locator('tr[data-version=v1]').waitFor();
    await page.click('text=Retrain now');
    const error = page.locator('[data-testid=models-error]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Refused: .*admin/i);
  }, 20_000);

  it('as admin: retrain shows progress to v2, roll back to v1 changes the active version', async () => {
    await page.click('text=Sign out');
    await signIn(ADMIN_TOKEN);
    expect(await page.textContent('[data-testid=grant]')).toBe('admin');
    await page.click('a[data-page=models]');
    await page.click('text=Retrain now');
    const result = page.locator('[data-testid=retrain-result]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/Version v2 is active/);
    await page.locator('[data-testid=active-model]', { hasText: 'v2' }).waitFor({ timeout: 10_000 });
    const v1 = page.locator('tr[data-version=v1]');
    await v1.locator('button', { hasText: 'Roll back' }).click();
    await page.locator('.alert-ok', { hasText: 'Rolled back: v1 is active (was v2)' }).waitFor();
    await page.locator('[data-testid=active-model]', { hasText: 'model v1' }).waitFor({ timeout: 10_000 });
    await v1.locator('.badge', { hasText: 'active' }).waitFor();
    expect((await get('/models')).active).toBe('v1');
    await shot('models');
  }, 45_000);

  it('throughput charts draw the service counters', async () => {
    await page.click('a[data-page=throughput]');
    await page.locator('.uplot').first().waitFor();
    expect(await page.locator('.uplot').count()).toBe(3);
    await eventually('scored events on the page', async () => {
      const kpi = await page.locator('[data-kpi=scored] .kpi-value').textContent();
      return Number(kpi?.replaceAll(',', '')) >= 600 ? true : undefined;
    }, 15_000);
    await shot('throughput');
  }, 30_000);
});
