import { open } from 'node:fs/promises';
import { MimicbotFileError } from '../errors.js';
import { LineSplitter, type SplitLine } from './line-splitter.js';
import type { TweetRecord } from './tweet-record.js';

/** A line that was skipped, reported as `file:line: problem`. */
export interface LineProblem {
  file: string;
  line: number;
  problem: string;
}

export function formatLineProblem(p: LineProblem): string {
  return `${p.file}:${p.line}: ${p.problem}`;
}

/**
 * The longest line read as a post. A post is at most 25,000 characters (X's long posts); JSON with every
 * character escaped (`\ud83d\ude00`) is 6 bytes a character, so a real line stays well below this.
 */
export const MAX_LINE_BYTES = 1_000_000;

/** How many bad lines of a file are described one by one; the rest are only counted. */
export const MAX_PROBLEMS_KEPT = 20;

export interface ParsedJsonl {
  file: string;
  records: TweetRecord[];
  /** The first lines skipped because they could not be read as a post (the rest of the file was still used). */
  problems: LineProblem[];
  /** How many lines were skipped in all. */
  badLines: number;
}

/**
 * Reads the posts of a JSONL file (`{id, created_at, text}` per line) line by line, in bounded memory. A bad
 * line (not JSON, not a post, longer than `maxLineBytes`) is reported and skipped; a file that is not JSONL at
 * all (a zip, an archive's tweets.js, a CSV, binary) is refused with a hint, because reading it line by line
 * would only produce thousands of identical complaints.
 */
export async function readTweetJsonl(file: string, maxLineBytes = MAX_LINE_BYTES): Promise<ParsedJsonl> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    refuseWrongFileType(file, head.subarray(0, bytesRead).toString('utf8'));
    const parser = new TweetJsonlParser(file, maxLineBytes);
    const splitter = new LineSplitter(maxLineBytes, (line) => parser.line(line));
    for await (const chunk of handle.createReadStream({ start: 0, autoClose: false })) splitter.push(chunk as Buffer);
    splitter.end();
    return parser.finish();
  } finally {
    await handle.close();
  }
}

/** The same for a file's content already in memory. */
export function parseTweetJsonl(file: string, content: string, maxLineBytes = MAX_LINE_BYTES): ParsedJsonl {
  refuseWrongFileType(file, content.slice(0, 4096));
  const parser = new TweetJsonlParser(file, maxLineBytes);
  const splitter = new LineSplitter(maxLineBytes, (line) => parser.line(line));
  splitter.push(Buffer.from(content, 'utf8'));
  splitter.end();
  return parser.finish();
}

class TweetJsonlParser {
  private readonly records: TweetRecord[] = [];
  private readonly problems: LineProblem[] = [];
  private badLines = 0;

  constructor(
    private readonly file: string,
    private readonly maxLineBytes: number,
  ) {}

  line(line: SplitLine): void {
    if ('tooLongBytes' in line) {
      this.problem(line.number, `longer than ${this.maxLineBytes.toLocaleString('en')} bytes (${line.tooLongBytes.toLocaleString('en')}); not a post`);
      return;
    }
    const raw = line.text.trim();
    if (raw === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      this.problem(line.number, `not valid JSON (${(cause as Error).message})`);
      return;
    }
    const record = asTweetRecord(value);
    if (typeof record === 'string') this.problem(line.number, record);
    else this.records.push(record);
  }

  finish(): ParsedJsonl {
    const { file, records, problems, badLines } = this;
    if (records.length === 0 && badLines > 0) {
      throw new MimicbotFileError('DATA_NOT_JSONL', file, `no line is a post (${badLines} bad lines; first: line ${problems[0].line}: ${problems[0].problem})`);
    }
    return { file, records, problems, badLines };
  }

  private problem(line: number, problem: string): void {
    if (this.badLines++ < MAX_PROBLEMS_KEPT) this.problems.push({ file: this.file, line, problem });
  }
}

/** The record, or a description of what is wrong with it. `id` and `created_at` are optional on input. */
function asTweetRecord(value: unknown): TweetRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object per line';
  const o = value as Record<string, unknown>;
  if (typeof o.text !== 'string') return 'no "text" string';
  if (o.id !== undefined && typeof o.id !== 'string' && typeof o.id !== 'number') return '"id" must be a string';
  const record: TweetRecord = {
    id: o.id === undefined ? '' : String(o.id),
    created_at: typeof o.created_at === 'string' ? o.created_at : '',
    text: o.text,
  };
  if (typeof o.reply_to === 'string') record.reply_to = o.reply_to;
  return record;
}

function refuseWrongFileType(file: string, head: string): void {
  const wrong = (problem: string) => new MimicbotFileError('DATA_WRONG_FILE_TYPE', file, problem);
  if (head.startsWith('PK\u0003\u0004')) {
    throw wrong('is a zip archive, not JSONL; turn an X archive into JSONL with `import` first');
  }
  if (/^\s*window\.YTD\./.test(head)) {
    throw wrong("is an X archive's tweets.js, not JSONL; turn it into JSONL with `import` first");
  }
  if (head.includes('\u0000')) throw wrong('is a binary file, not JSONL (one JSON object per line)');
  // A wholly different text file (CSV, plain text): none of its first lines even looks like an object. One
  // damaged line among good ones is not this; it is skipped and reported like any other bad line.
  const firstLines = head.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 10);
  if (firstLines.length > 0 && !firstLines.some((l) => l.startsWith('{'))) {
    throw wrong(
      `is not JSONL: none of its first lines is a JSON object (line 1: ${JSON.stringify(firstLines[0].slice(0, 40))}); ` +
        'expected one {"id","created_at","text"} object per line',
    );
  }
}
