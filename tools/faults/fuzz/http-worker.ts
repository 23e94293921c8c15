/**
 * Worker thread of the fuzz scenario: draws cases and sends them over HTTP with `concurrency`
 * keep-alive connections until `bodies` are sent or `seconds` pass, then posts its Tally back.
 * Keeping generation and the client off the main thread leaves that core to the server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sampleCases, type FuzzCase } from './cases.ts';
import { createSender, newTally, record } from './client.ts';

export interface HttpWorkerInput {
  url: string;
  token: string;
  bodies: number;
  seconds: number;
  concurrency: number;
  seed: number;
}

const input = workerData as HttpWorkerInput;
const sender = createSender(input.url, input.token, input.concurrency);
const tally = newTally();
const started = performance.now();
const deadline = started + input.seconds * 1000;
const BATCH = 500;
let batchNo = 0;
while (tally.sent < input.bodies && performance.now() < deadline) {
  const cases = sampleCases(Math.min(BATCH, input.bodies - tally.sent), input.seed * 1_000_003 + batchNo++);
  let next = 0;
  await Promise.all(
    Array.from({ length: input.concurrency }, async () => {
      while (next < cases.length) {
        const c = cases[next++] as FuzzCase;
        record(tally, c, await sender.send(c).catch((e: Error) => e));
      }
    }),
  );
}
sender.close();
parentPort?.postMessage({ tally, seconds: (performance.now() - started) / 1000 });
