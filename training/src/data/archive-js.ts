import { MimicbotFileError } from '../errors.js';

/** The longest single record read from an archive data file; a real one is a few KB (a long post ~100 KB). */
export const MAX_RECORD_CHARS = 1_000_000;

// `window.YTD.tweets.part0 ` is about 25 characters; anything much longer before "=" is not an archive file.
const MAX_PREFIX_CHARS = 200;

export interface ArchiveJsHandlers {
  /** each element of the file's array, parsed, with its 0-based index */
  onRecord(value: unknown, index: number): void;
  /** an element too long to be a record: skipped, with its 0-based index and the line it starts on */
  onSkipped?(index: number, line: number, problem: string): void;
}

/**
 * Reads one data file of an X "download your data" archive: JavaScript of the form
 * `window.YTD.tweets.part0 = [ … ]`. Everything up to the first `=` is dropped and the array after it is read
 * as JSON one element at a time, so a file of any size is read in bounded memory; the file is never
 * evaluated (it is data from outside, and evaluating it would run whatever it holds).
 *
 * Text goes in with `push` (in pieces of any size) and `end`. A problem is a `MimicbotFileError` naming
 * `file:line`.
 */
export class ArchiveJsReader {
  private phase: 'prefix' | 'open' | 'items' | 'after' = 'prefix';
  private prefix = '';
  private line = 1;
  private index = 0;
  // The element being read: its text so far (pieces), where it starts, and the scanner's state inside it.
  private inItem = false;
  private pieces: string[] = [];
  private length = 0;
  private itemLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private tooLong = false;

  constructor(
    private readonly file: string,
    private readonly handlers: ArchiveJsHandlers,
    private readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {}

  push(text: string): void {
    let i = 0;
    if (this.phase === 'prefix') {
      const eq = text.indexOf('=');
      this.prefix += eq === -1 ? text : text.slice(0, eq);
      if (eq === -1) {
        if (this.prefix.length > MAX_PREFIX_CHARS) throw this.notYtd();
        return;
      }
      const prefix = this.prefix.charCodeAt(0) === 0xfeff ? this.prefix.slice(1) : this.prefix;
      if (prefix.length > MAX_PREFIX_CHARS || !/^\s*window\.YTD\.[\w.]+\s*$/.test(prefix)) throw this.notYtd();
      this.line += countNewlines(prefix, 0, prefix.length);
      this.phase = 'open';
      i = eq + 1;
    }
    let start = this.inItem ? 0 : -1; // where the current element's text begins in `text`
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE) this.line++;
      if (this.phase === 'items' && this.inItem) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) this.inString = false;
          continue;
        }
        if (c === QUOTE) this.inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
        else if (this.depth > 0 && (c === CLOSE_BRACE || c === CLOSE_BRACKET)) this.depth--;
        else if (this.depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
          this.keep(text, start, i);
          this.finishItem();
          if (c === CLOSE_BRACKET) this.phase = 'after';
        }
        continue;
      }
      if (isSpace(c)) continue;
      switch (this.phase) {
        case 'open':
          if (c !== OPEN_BRACKET) throw this.badJson('the data after "=" is not a JSON array');
          this.phase = 'items';
          break;
        case 'items':
          if (c === CLOSE_BRACKET) this.phase = 'after';
          else if (c !== COMMA) {
            this.inItem = true;
            this.itemLine = this.line;
            start = i;
            i--; // read this character again, now inside the element (it is not a newline: no line to undo)
          }
          break;
        case 'after':
          if (c !== SEMICOLON) throw this.badJson('the data after "=" is not valid JSON (more text after its closing "]")');
          break;
      }
    }
    if (this.inItem) this.keep(text, start, text.length);
  }

  end(): void {
    if (this.phase === 'prefix') throw this.notYtd();
    if (this.phase === 'open') throw this.badJson('the data after "=" is not a JSON array');
    if (this.phase === 'items') throw this.badJson('the data after "=" ends before its closing "]" (is the file cut off?)');
  }

  /** Adds text[from, to) to the element, or only counts it once the element is too long to keep. */
  private keep(text: string, from: number, to: number): void {
    if (to <= from) return;
    this.length += to - from;
    if (this.length > this.maxRecordChars) {
      this.tooLong = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(text.slice(from, to));
  }

  private finishItem(): void {
    const index = this.index++;
    if (this.tooLong) {
      this.handlers.onSkipped?.(index, this.itemLine, `longer than ${this.maxRecordChars.toLocaleString('en')} characters; not a post`);
    } else {
      let value: unknown;
      try {
        value = JSON.parse(this.pieces.join(''));
      } catch (cause) {
        throw new MimicbotFileError('ARCHIVE_BAD_JSON', `${this.file}:${this.itemLine}`, `the data after "=" is not valid JSON (${(cause as Error).message})`, {
          cause,
        });
      }
      this.handlers.onRecord(value, index);
    }
    this.inItem = false;
    this.pieces = [];
    this.length = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.tooLong = false;
  }

  private notYtd(): MimicbotFileError {
    return new MimicbotFileError('ARCHIVE_NOT_YTD', this.file, 'not an X archive data file: expected it to start with `window.YTD.<name>.part<N> =`');
  }

  private badJson(problem: string): MimicbotFileError {
    return new MimicbotFileError('ARCHIVE_BAD_JSON', `${this.file}:${this.line}`, problem);
  }
}

/** Reads a whole data file held in memory; returns its elements. */
export function parseArchiveJs(file: string, text: string): unknown[] {
  const values: unknown[] = [];
  const reader = new ArchiveJsReader(file, { onRecord: (value) => values.push(value) });
  reader.push(text);
  reader.end();
  return values;
}

/** Reads a data file from its bytes as they arrive (UTF-8, pieces of any size). */
export async function readArchiveJs(file: string, chunks: AsyncIterable<Uint8Array>, handlers: ArchiveJsHandlers): Promise<void> {
  const reader = new ArchiveJsReader(file, handlers);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) reader.push(decoder.decode(chunk, { stream: true }));
  reader.push(decoder.decode());
  reader.end();
}

const NEWLINE = 10;
const QUOTE = 34;
const COMMA = 44;
const SEMICOLON = 59;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === NEWLINE) n++;
  return n;
}
