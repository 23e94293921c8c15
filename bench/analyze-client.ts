/**
 * The client of `bench/compare-analyze.ts`, the same for both systems: `node:http` with one
 * keep-alive connection per server (fetch/undici costs the client ~3× more CPU per request on
 * this box, time that would be charged to whichever server it waits on). An answer is checked by
 * status and by counting its verdicts (`"anomaly_score":` keys), which costs the client far less
 * than `JSON.parse` of a 1,000-verdict answer; the first answers of every run are also parsed in
 * full and must be an array of one verdict per line.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';

export class AnalyzeClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly url: URL;
  private parsed = 0;

  constructor(url: string) {
    this.url = new URL(url);
  }

  /** POST `body`, resolve with the answer's verdict count; throw on a non-200 answer or a bad shape. */
  analyze(body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path: `${this.url.pathname}${this.url.search}`,
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) return reject(new Error(`${this.url.href} answered ${res.statusCode}: ${text.slice(0, 300)}`));
            if (this.parsed < 3) {
              this.parsed++;
              const answer = JSON.parse(text) as unknown;
              if (!Array.isArray(answer) || answer.some((v) => typeof (v as { anomaly_score?: unknown }).anomaly_score !== 'number')) {
                return reject(new Error(`${this.url.href} did not answer an array of verdicts: ${text.slice(0, 300)}`));
              }
            }
            resolve(countOf(text, '"anomaly_score":'));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** CPU time (user + system, ms) a process has used so far, from /proc; NaN where /proc is missing. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return Number.NaN;
  }
}
