import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './index.ts';

describe('createLogger', () => {
  it('writes JSON lines with the service name and redacts credentials', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger({ name: 'ingest', level: 'info', destination });
    log.info({ req: { headers: { authorization: 'Bearer s3cret', 'x-api-key': 'k3y', host: 'h' } }, token: 't0k' }, 'hello');
    log.child({ component: 'auth' }).warn({ config: { ADMIN_TOKEN: 'adm1n' } }, 'child');
    log.debug('hidden');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ service: 'ingest', level: 'info', msg: 'hello' });
    expect(first.req.headers).toEqual({ authorization: '[redacted]', 'x-api-key': '[redacted]', host: 'h' });
    expect(first.token).toBe('[redacted]');
    const all = lines.join('');
    for (const secret of ['s3cret', 'k3y', 't0k', 'adm1n']) expect(all).not.toContain(secret);
  });
});
