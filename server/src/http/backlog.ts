import type { Engine } from '../engine/types.js';

/**
 * What `Retry-After` on a 429 is computed from: the tokens still to generate for every sequence the
 * engine holds (an upper bound: each counts as running to its max new tokens) over the tokens generated
 * per second lately. With continuous batching both are aggregates, so their ratio is the time until the
 * engine has worked through what it holds now.
 */
export class Backlog {
  /** Tokens still to generate, at most, for the sequences running or waiting. */
  private outstanding = 0;
  /** Tokens generated per whole second (key: second since the clock's origin), for the last `windowSeconds`. */
  private readonly perSecond = new Map<number, number>();
  private firstSecond: number | undefined;

  constructor(
    private readonly windowSeconds = 30,
    /** Milliseconds. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Tokens still to generate, at most. */
  get owed(): number {
    return this.outstanding;
  }

  admit(maxNewTokens: number): void {
    this.outstanding += maxNewTokens;
  }

  release(tokens: number): void {
    this.outstanding = Math.max(0, this.outstanding - tokens);
  }

  generated(tokens = 1): void {
    const second = Math.floor(this.now() / 1000);
    this.firstSecond ??= second;
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + tokens);
    this.release(tokens);
    for (const key of this.perSecond.keys()) if (key <= second - this.windowSeconds) this.perSecond.delete(key);
  }

  /** Tokens per second over the window (or since the first token, if sooner); undefined before any. */
  tokensPerSecond(): number | undefined {
    if (this.firstSecond === undefined) return undefined;
    const nowSeconds = this.now() / 1000;
    const since = Math.max(Math.floor(nowSeconds) - this.windowSeconds + 1, this.firstSecond);
    let tokens = 0;
    for (const [second, count] of this.perSecond) if (second >= since) tokens += count;
    // Never less than a second: the first tokens of a burst say little about a rate.
    const seconds = Math.max(1, nowSeconds - since);
    return tokens > 0 ? tokens / seconds : undefined;
  }

  /** Whole seconds until the backlog is worked off, from 1 to `maxSeconds`; 1 before anything was generated. */
  retryAfterSeconds(maxSeconds: number): number {
    const rate = this.tokensPerSecond();
    if (rate === undefined) return 1;
    return Math.min(Math.max(1, Math.ceil(this.outstanding / rate)), Math.max(1, maxSeconds));
  }
}

/** The engine, its work counted in `backlog`: each request's max new tokens on entry, each token as it comes. */
export function withBacklog<E extends Engine>(engine: E, backlog: Backlog): E {
  return {
    ...engine,
    async generate(request) {
      backlog.admit(request.maxNewTokens);
      let produced = 0;
      try {
        return await engine.generate({
          ...request,
          onToken: (id, logprob) => {
            produced++;
            backlog.generated();
            request.onToken?.(id, logprob);
          },
        });
      } finally {
        backlog.release(request.maxNewTokens - produced);
      }
    },
  };
}
