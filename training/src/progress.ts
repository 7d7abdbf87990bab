/**
 * The progress bar every long step shares (conversion, init, training, downloads): cli-progress on stderr
 * with the counts, the rate and the ETA. It draws only on a terminal, so logs, pipes and tests stay clean,
 * and `quiet` silences it anywhere. The rate and the ETA are computed here, from the clock passed in, and the
 * ETA is rounded once to whole seconds before it is split into minutes and seconds (cli-progress rounds the
 * seconds after splitting, which prints 119.6 s as "1m60s").
 */
import { SingleBar } from 'cli-progress';

export interface ProgressBar {
  /**
   * Sets the bar to `done` of `total`, both in the caller's raw unit (bytes, floats, steps); `detail` is shown
   * after the ETA (for example the loss).
   */
  update(done: number, total: number, detail?: string): void;
  stop(): void;
}

export interface ProgressBarOptions {
  /** The unit shown after the counts, after dividing by `scale`: `MB` with scale 1e6 for byte counts. */
  unit?: string;
  scale?: number;
  stream?: NodeJS.WriteStream;
  /** Draw nothing (also the case when `stream` is not a terminal). */
  quiet?: boolean;
  /** The clock, in milliseconds, for the rate and the ETA; passed in by tests. */
  now?: () => number;
}

const silent: ProgressBar = { update: () => undefined, stop: () => undefined };

export function createProgressBar(label: string, options: ProgressBarOptions = {}): ProgressBar {
  const { unit = '', scale = 1, stream = process.stderr, quiet = false, now = Date.now } = options;
  if (quiet || !stream.isTTY) return silent;
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {timeLeft}{detail}`,
    hideCursor: true,
    fps: 5,
  });
  const startedAt = now();
  let first: number | undefined; // the count when the bar started: a resumed run does not start at 0
  return {
    update(done, total, detail = '') {
      const value = round1(done / scale);
      const seconds = Math.max((now() - startedAt) / 1000, 1e-3);
      const perSecond = first === undefined ? 0 : (done - first) / seconds;
      const payload = {
        rate: (perSecond / scale).toFixed(1),
        timeLeft: perSecond > 0 ? formatDuration((total - done) / perSecond) : '-',
        detail: detail === '' ? '' : ` | ${detail}`,
      };
      if (first === undefined) {
        first = done;
        bar.start(round1(total / scale), value, payload);
        return;
      }
      bar.setTotal(round1(total / scale));
      bar.update(value, payload);
    },
    stop() {
      if (first !== undefined) bar.stop();
    },
  };
}

/** `7s`, `2m00s`, `1h05m`: rounded to whole seconds first, then split. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
