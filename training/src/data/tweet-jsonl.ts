import { MimicbotFileError } from '../errors.js';
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

export interface ParsedJsonl {
  records: TweetRecord[];
  /** Lines skipped because they could not be read as a post; the rest of the file was still used. */
  problems: LineProblem[];
}

/**
 * Reads the posts of a JSONL file (`{id, created_at, text}` per line). A bad line is reported and skipped; a
 * file that is not JSONL at all (a zip, an archive's tweets.js, a CSV, binary) is refused with a hint,
 * because reading it line by line would only produce thousands of identical complaints.
 */
export function parseTweetJsonl(file: string, content: string): ParsedJsonl {
  refuseWrongFileType(file, content);
  const records: TweetRecord[] = [];
  const problems: LineProblem[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      problems.push({ file, line, problem: `not valid JSON (${(cause as Error).message})` });
      continue;
    }
    const record = asTweetRecord(value);
    if (typeof record === 'string') problems.push({ file, line, problem: record });
    else records.push(record);
  }
  if (records.length === 0 && problems.length > 0) {
    throw new MimicbotFileError(
      'DATA_NOT_JSONL',
      file,
      `no line is a post (${problems.length} bad lines; first: line ${problems[0].line}: ${problems[0].problem})`,
    );
  }
  return { records, problems };
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

function refuseWrongFileType(file: string, content: string): void {
  const head = content.slice(0, 4096);
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
