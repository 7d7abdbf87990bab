/**
 * Collects the log-probabilities of the tokens behind a text, in OpenAI's legacy-completions shape, and
 * hands them out with the text they belong to: each streamed piece of text carries the entries of the
 * tokens whose text starts inside it, so the pieces of a stream add up to what a plain request returns.
 *
 * `textOffset` indexes into the returned text (the choice's `text`, which with `echo` starts with the
 * prompt). A token that holds only part of a character starts where that character starts.
 */
import type { TokenLogprob } from '../engine/types.js';

export interface TextLogprobs {
  tokens: string[];
  /** null for the first prompt token with echo: nothing comes before it. */
  tokenLogprobs: (number | null)[];
  /** The asked-for most likely tokens plus the token itself (so at most k + 1 keys); null where tokenLogprobs is. */
  topLogprobs: (Record<string, number> | null)[];
  textOffset: number[];
}

export function emptyLogprobs(): TextLogprobs {
  return { tokens: [], tokenLogprobs: [], topLogprobs: [], textOffset: [] };
}

export class LogprobsRecorder {
  private readonly all = emptyLogprobs();
  private handedOut = 0;

  constructor(private readonly tokenText: (id: number) => string) {}

  /** Token `id`, whose text starts at `offset` of the returned text; `scored` null for the first prompt token. */
  add(offset: number, id: number, scored: TokenLogprob | null): void {
    this.all.tokens.push(this.tokenText(id));
    this.all.textOffset.push(offset);
    if (scored === null) {
      this.all.tokenLogprobs.push(null);
      this.all.topLogprobs.push(null);
      return;
    }
    this.all.tokenLogprobs.push(scored.logprob);
    const top: Record<string, number> = {};
    for (const alt of scored.top) top[this.tokenText(alt.id)] = alt.logprob;
    top[this.tokenText(id)] = scored.logprob;
    this.all.topLogprobs.push(top);
  }

  /** The entries not handed out yet whose text starts before `end` (the returned text's length so far). */
  take(end: number): TextLogprobs {
    let to = this.handedOut;
    while (to < this.all.textOffset.length && this.all.textOffset[to] < end) to++;
    const from = this.handedOut;
    this.handedOut = to;
    return {
      tokens: this.all.tokens.slice(from, to),
      tokenLogprobs: this.all.tokenLogprobs.slice(from, to),
      topLogprobs: this.all.topLogprobs.slice(from, to),
      textOffset: this.all.textOffset.slice(from, to),
    };
  }

  /** Everything handed out so far: what a plain (non-streamed) response carries. */
  takenSoFar(): TextLogprobs {
    const n = this.handedOut;
    return {
      tokens: this.all.tokens.slice(0, n),
      tokenLogprobs: this.all.tokenLogprobs.slice(0, n),
      topLogprobs: this.all.topLogprobs.slice(0, n),
      textOffset: this.all.textOffset.slice(0, n),
    };
  }
}
