import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar } from './progress.js';

/** A writable stream that claims to be a terminal and keeps what is written to it. */
function fakeTerminal(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number; cursorTo(): boolean; clearLine(): boolean; moveCursor(): boolean };
  stream.isTTY = isTTY;
  stream.columns = 200;
  stream.cursorTo = () => true;
  stream.clearLine = () => true;
  stream.moveCursor = () => true;
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('createProgressBar', () => {
  it('shows counts in the unit, the rate and the ETA on a terminal', () => {
    const terminal = fakeTerminal(true);
    let t = 0;
    const bar = createProgressBar('convert', { unit: 'MB', scale: 1e6, stream: terminal.stream, now: () => t });
    bar.update(0, 500e6);
    t = 2000;
    bar.update(100e6, 500e6);
    bar.stop();
    expect(terminal.text()).toMatch(/convert \[.*\] 20% \| 100\/500 MB \| 50\.0 MB\/s \| ETA /);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const pipe = fakeTerminal(false);
    const bar = createProgressBar('convert', { stream: pipe.stream });
    bar.update(1, 2);
    bar.stop();
    expect(pipe.text()).toBe('');
  });

  it('writes nothing when asked to be quiet', () => {
    const terminal = fakeTerminal(true);
    const bar = createProgressBar('convert', { stream: terminal.stream, quiet: true });
    bar.update(1, 2);
    bar.stop();
    expect(terminal.text()).toBe('');
  });
});
