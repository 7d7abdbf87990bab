/**
 * Cleans and judges text while it streams, so nothing is sent that the whole-text rules would have
 * removed: invisible and bidirectional controls are stripped as they arrive (before a check sees the word
 * they might split), output stops at `<|endoftext|>`, leading whitespace is held back (the caller decides
 * how the continuation meets the prompt), and text goes out a sentence at a time: each sentence is held
 * back until it is complete (gate/cut-at-length.ts says where one ends) and the text so far, with it, has
 * passed `check` (the output filter and the gate's streaming checks: a verdict on the start of a text
 * holds for all of it, so a failing sentence is never sent).
 *
 * Why sentences and not words: a draft that hits the token limit is cut back to its last sentence end
 * at the same sentence ends, so what streamed is always the start of what the gate keeps; the unfinished
 * sentence it drops was never shown. Whitespace between sentences goes out with the next one. Pure.
 */
import { END_OF_TEXT, lastSentenceEnd, stripInvisibleControls } from '@mimicbot/functions-shared';

/** Judges everything that would have been sent, with the raw text received so far; a reason to stop, or undefined. */
export type StreamCheck = (text: string, raw: string) => string | undefined;

export interface CleanerStep {
  /** Text safe to send now (may be empty). */
  text: string;
  /** True when the stream should end here (end-of-text marker, or a check failed). */
  stop: boolean;
  /** Set when a check failed: its reason. Nothing of the failing word was sent. */
  rejected?: string;
}

export class StreamCleaner {
  /** Text received but not yet emitted: the current, possibly unfinished, word. */
  private pending = '';
  private started = false;
  private stopped = false;
  /** Everything received, as received. */
  raw = '';
  /** Everything emitted so far: the text shown (it never starts or ends in whitespace). */
  emitted = '';

  constructor(private readonly check: StreamCheck) {}

  push(delta: string): CleanerStep {
    if (this.stopped) return { text: '', stop: true };
    this.raw += delta;
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
    // Send up to the last complete sentence; the rest waits for more (it may be unfinished, or the
    // start of the marker: "<|endo").
    // The same sentence ends the cut at the token limit uses, so nothing sent is ever cut away.
    const boundary = lastSentenceEnd(this.pending, { whole: false });
    if (boundary <= 0) return { text: '', stop: false };
    const ready = this.pending.slice(0, boundary);
    const rest = this.pending.slice(boundary);
    return this.release(ready, rest);
  }

  /** The stream ended: release what is left (trailing whitespace trimmed). */
  end(): CleanerStep {
    if (this.stopped) return { text: '', stop: true };
    return this.finish();
  }

  private finish(): CleanerStep {
    const step = this.release(this.pending.trimEnd(), '');
    this.stopped = true;
    return { ...step, stop: true };
  }

  private release(ready: string, rest: string): CleanerStep {
    const text = ready.replace(/<\|[a-z_]+\|>/g, '');
    const rejected = this.check(this.emitted + text, this.raw);
    if (rejected !== undefined) {
      this.stopped = true;
      return { text: '', stop: true, rejected };
    }
    this.pending = rest;
    this.emitted += text;
    return { text, stop: false };
  }
}
