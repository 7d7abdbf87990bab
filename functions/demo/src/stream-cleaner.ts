/**
 * Cleans and filters text while it streams, so nothing is sent that the whole-text rules would have
 * removed: invisible and bidirectional controls are stripped as they arrive (before the filter sees the
 * word they might split), output stops at `<|endoftext|>`, leading whitespace is dropped, and each word is held back
 * until it is complete and has passed the output filter (the filter matches whole words, so a word checked
 * alone is judged as it would be in the full text). Pure.
 */
import { END_OF_TEXT, stripInvisibleControls, type OutputFilter } from '@mimicbot/functions-shared';

export interface CleanerStep {
  /** Text safe to send now (may be empty). */
  text: string;
  /** True when the stream should end here (end-of-text marker or a blocked word). */
  stop: boolean;
  /** Set when a blocked word was found: nothing of it was emitted. */
  blocked?: string[];
}

export class StreamCleaner {
  /** Text received but not yet emitted: the current, possibly unfinished, word. */
  private pending = '';
  private started = false;
  private stopped = false;
  /** Everything emitted so far: the final text (it never ends in whitespace). */
  emitted = '';

  constructor(private readonly filter: OutputFilter) {}

  push(delta: string): CleanerStep {
    if (this.stopped) return { text: '', stop: true };
    this.pending += stripInvisibleControls(delta);
    if (!this.started) {
      // Like cleanGeneratedText: leading markers and whitespace are not part of the reply.
      this.pending = this.pending.replace(/^(\s*<\|endoftext\|>)+/, '').replace(/^\s+/, '');
      if (this.pending === '' || END_OF_TEXT.startsWith(this.pending.slice(0, END_OF_TEXT.length))) return { text: '', stop: false };
      this.started = true;
    }
    const end = this.pending.indexOf(END_OF_TEXT);
    if (end !== -1) {
      this.pending = this.pending.slice(0, end);
      return this.finish();
    }
    // Send up to the last whitespace run; it and the word after it wait for more (that word may be
    // unfinished, or the start of the marker: "<|endo").
    const lastSpace = this.pending.search(/\s+\S*$/);
    if (lastSpace <= 0) return { text: '', stop: false };
    return this.release(this.pending.slice(0, lastSpace), this.pending.slice(lastSpace));
  }

  /** The stream ended: release what is left (trailing whitespace trimmed). */
  end(): CleanerStep {
    if (this.stopped) return { text: '', stop: true };
    return this.finish();
  }

  private finish(): CleanerStep {
    const step = this.release(this.pending.replace(/<\|[a-z_]+\|>/g, '').trimEnd(), '');
    this.stopped = true;
    return { ...step, stop: true };
  }

  private release(ready: string, rest: string): CleanerStep {
    const blocked = this.filter.findBlocked(ready);
    if (blocked.length > 0) {
      this.stopped = true;
      return { text: '', stop: true, blocked };
    }
    this.pending = rest;
    const text = ready.replace(/<\|[a-z_]+\|>/g, '');
    this.emitted += text;
    return { text, stop: false };
  }
}
