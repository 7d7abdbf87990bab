import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar, formatDuration } from './progress.js';

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

  it('rounds the ETA once, then splits it: 119.6 s left is "2m00s", never "1m60s"', () => {
    const terminal = fakeTerminal(true);
    let t = 0;
    const bar = createProgressBar('train', { unit: 'steps', stream: terminal.stream, now: () => t });
    bar.update(0, 1206);
    t = 1000;
    bar.update(10, 1206, 'loss 3.2100'); // 10 steps a second, 1,196 to go: 119.6 s
    bar.stop();
    expect(terminal.text()).toMatch(/train \[.*\] 0% \| 10\/1206 steps \| 10\.0 steps\/s \| ETA 2m00s \| loss 3\.2100/);
    expect(terminal.text()).not.toContain('60s');
  });

  it('formats durations as seconds, minutes and seconds, or hours and minutes', () => {
    expect([0.4, 59.4, 59.6, 119.6, 3599.4, 3599.6, 7199, 5400].map(formatDuration)).toEqual(['0s', '59s', '1m00s', '2m00s', '59m59s', '1h00m', '2h00m', '1h30m']);
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
