/**
 * A `CliIo` for tests that keeps what a command writes: `out()` and `err()` return the text so far.
 * Writes are kept synchronously, so the text is complete as soon as the command's promise settles.
 */
import { Writable } from 'node:stream';
import type { CliIo } from './cli-io.js';

export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

export function captureIo(): CapturedIo {
  const [o, e] = [textSink(), textSink()];
  // A command only writes to stderr (and asks isTTY, which is then undefined: no redrawn progress bar).
  return { stdout: o.stream, stderr: e.stream as unknown as NodeJS.WriteStream, out: o.text, err: e.text };
}

function textSink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}
