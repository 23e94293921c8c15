/**
 * Writing a command's output to stdout. A reader that goes away (`| head`, a closed pager)
 * closes the pipe: that is a normal end, so EPIPE stops the writing quietly with exit code 0.
 */
import type { Writable } from 'node:stream';
import type { Output } from './command.ts';

/** Writes every chunk; resolves 'closed' when the reader closed the pipe, else 'done'. */
export async function writeOutput(out: Output, stream: Writable = process.stdout): Promise<'done' | 'closed'> {
  let closed = false;
  let failure: Error | undefined;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed = true;
    else failure = err;
  };
  stream.on('error', onError);
  try {
    for (const chunk of typeof out === 'string' ? [out] : out) {
      if (chunk.length === 0) continue;
      const more = stream.write(chunk);
      // Let a pending 'error' (EPIPE is reported on a later tick) or 'drain' arrive.
      await (more ? new Promise<void>((r) => setImmediate(r)) : waitDrain(stream, () => closed || failure !== undefined));
      if (failure) throw failure;
      if (closed) return 'closed';
    }
    await new Promise<void>((r) => setImmediate(r));
    if (failure) throw failure;
    return closed ? 'closed' : 'done';
  } finally {
    // Keep a listener so a late EPIPE never becomes an unhandled 'error' event.
    stream.off('error', onError);
    stream.on('error', () => {});
  }
}

function waitDrain(stream: Writable, stop: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearInterval(t);
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    const t = setInterval(() => stop() && done(), 20);
    stream.once('drain', done);
    stream.once('close', done);
  });
}
