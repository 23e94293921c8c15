/**
 * Reads the whole request body into `req.body` as a Buffer, whatever its Content-Type, without
 * touching Content-Encoding (decompression happens later, under its own limit). express.raw cannot
 * be used: with `inflate: false` it refuses every gzip body with 415.
 *
 * A body over `limitBytes` ends in 413 `body_too_large`. The rest of the body is read and thrown
 * away (up to `drainBytes`) before answering, so the client reliably sees the 413 instead of a
 * connection reset — Filebeat splits its batch on 413 but only retries whole on a reset. Past
 * `drainBytes` the answer goes out at once and the connection is closed.
 */
import type { RequestHandler } from 'express';
import { HttpError } from '../../http/errors.ts';

export interface RawBodyOptions {
  /** Largest body accepted, in bytes (compressed size as received). */
  limitBytes: number;
  /** Most bytes of an oversized body read and discarded before answering. @defaultValue 64 MiB */
  drainBytes?: number;
}

export function rawBody(options: RawBodyOptions): RequestHandler {
  const limit = options.limitBytes;
  const drainCap = options.drainBytes ?? 64 * 1024 * 1024;
  const tooLarge = (size: string) =>
    new HttpError(413, 'body_too_large', `request body of ${size} exceeds the limit of ${limit} bytes (MAX_BODY_BYTES)`);

  return (req, res, next) => {
    const declared = Number(req.headers['content-length']);
    let size = 0;
    let settled = false;
    let oversize: HttpError | undefined;
    const chunks: Buffer[] = [];

    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (err) {
        next(err);
        return;
      }
      req.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      next();
    };
    /** Answer now and close the connection instead of reading more. */
    const giveUp = (err: HttpError) => {
      req.pause();
      res.setHeader('Connection', 'close');
      settle(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (oversize) {
        if (size > drainCap) giveUp(oversize);
        return;
      }
      if (size > limit) {
        oversize = tooLarge(`more than ${limit} bytes`);
        chunks.length = 0;
        if (size > drainCap) giveUp(oversize);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle(oversize);
    const onError = (err: Error) => settle(new HttpError(400, 'request_aborted', `request body could not be read: ${err.message}`));
    const onAborted = () => settle(new HttpError(400, 'request_aborted', 'the client aborted the request'));

    if (Number.isFinite(declared) && declared > limit) {
      oversize = tooLarge(`${declared} bytes`);
      if (declared > drainCap) {
        giveUp(oversize);
        return;
      }
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  };
}
