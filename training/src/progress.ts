/**
 * The progress bar every long step shares (conversion, init, training): cli-progress on stderr with the
 * counts, the rate and the ETA. It draws only on a terminal, so logs, pipes and tests stay clean, and
 * `quiet` silences it anywhere.
 */
import { SingleBar } from 'cli-progress';

export interface ProgressBar {
  /** Sets the bar to `done` of `total`, both in the caller's raw unit (bytes, floats, steps). */
  update(done: number, total: number): void;
  stop(): void;
}

export interface ProgressBarOptions {
  /** The unit shown after the counts, after dividing by `scale`: `MB` with scale 1e6 for byte counts. */
  unit?: string;
  scale?: number;
  stream?: NodeJS.WriteStream;
  /** Draw nothing (also the case when `stream` is not a terminal). */
  quiet?: boolean;
  /** The clock, in milliseconds, for the rate; passed in by tests. */
  now?: () => number;
}

const silent: ProgressBar = { update: () => undefined, stop: () => undefined };

export function createProgressBar(label: string, options: ProgressBarOptions = {}): ProgressBar {
  const { unit = '', scale = 1, stream = process.stderr, quiet = false, now = Date.now } = options;
  if (quiet || !stream.isTTY) return silent;
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
    hideCursor: true,
    etaBuffer: 50,
    fps: 5,
  });
  const startedAt = now();
  let started = false;
  return {
    update(done, total) {
      const value = round1(done / scale);
      const rate = (value / Math.max((now() - startedAt) / 1000, 1e-3)).toFixed(1);
      if (!started) {
        bar.start(round1(total / scale), value, { rate });
        started = true;
        return;
      }
      if (done === 0) return; // cli-progress shows an ETA of "NF" until something has happened
      bar.setTotal(round1(total / scale));
      bar.update(value, { rate });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
