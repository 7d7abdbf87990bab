/** Time, passed in so tests need not wait for real: X's rate-limit windows are 15 minutes. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Sleeps until `untilMs` in steps of at most a second, reporting the time left before each step. */
export async function waitUntil(untilMs: number, clock: Clock, onTick: (remainingMs: number) => void): Promise<void> {
  for (let left = untilMs - clock.now(); left > 0; left = untilMs - clock.now()) {
    onTick(left);
    await clock.sleep(Math.min(1000, left));
  }
  onTick(0);
}
