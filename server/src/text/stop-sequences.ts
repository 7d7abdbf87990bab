/**
 * Finds stop sequences in streamed text that may arrive split across tokens (`"\n\n"` as `"\n"` + `"\n"`).
 * Text that could still be the start of a stop sequence is held back until it is resolved, so a client
 * never receives part of a stop sequence.
 */
export class StopSequenceMatcher {
  private pending = '';
  private done = false;

  constructor(private readonly stops: readonly string[]) {}

  /** Adds text; returns what is safe to emit, and whether a stop sequence was found (then nothing more comes). */
  push(delta: string): { text: string; stopped: boolean } {
    if (this.done) return { text: '', stopped: true };
    this.pending += delta;
    let stopAt = -1;
    for (const stop of this.stops) {
      const at = stop === '' ? -1 : this.pending.indexOf(stop);
      if (at >= 0 && (stopAt < 0 || at < stopAt)) stopAt = at;
    }
    if (stopAt >= 0) {
      this.done = true;
      const text = this.pending.slice(0, stopAt);
      this.pending = '';
      return { text, stopped: true };
    }
    const keep = this.longestSuffixThatStartsAStop();
    const text = this.pending.slice(0, this.pending.length - keep);
    this.pending = this.pending.slice(this.pending.length - keep);
    return { text, stopped: false };
  }

  /** At the end of generation: the held-back text, which turned out not to be a stop sequence. */
  flush(): string {
    const text = this.done ? '' : this.pending;
    this.pending = '';
    return text;
  }

  private longestSuffixThatStartsAStop(): number {
    let keep = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, this.pending.length); length > keep; length--) {
        if (this.pending.endsWith(stop.slice(0, length))) {
          keep = length;
          break;
        }
      }
    }
    return keep;
  }
}
