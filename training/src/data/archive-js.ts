import { MimicbotFileError } from '../errors.js';

/**
 * Reads one data file of an X "download your data" archive: JavaScript of the form
 * `window.YTD.tweets.part0 = [ … ]`. Everything up to the first `=` is dropped and the rest is parsed as
 * JSON; the file is never evaluated (it is data from outside, and evaluating it would run whatever it holds).
 */
export function parseArchiveJs(file: string, text: string): unknown[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const eq = body.indexOf('=');
  if (eq === -1 || !/^\s*window\.YTD\.[\w.]+\s*$/.test(body.slice(0, eq))) {
    throw new MimicbotFileError(
      'ARCHIVE_NOT_YTD',
      file,
      'not an X archive data file: expected it to start with `window.YTD.<name>.part<N> =`',
    );
  }
  const json = body.slice(eq + 1).replace(/;\s*$/, '');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    const line = lineOfError(body, eq + 1, cause);
    throw new MimicbotFileError(
      'ARCHIVE_BAD_JSON',
      line === undefined ? file : `${file}:${line}`,
      `the data after "=" is not valid JSON (${(cause as Error).message})`,
      { cause },
    );
  }
  if (!Array.isArray(value)) throw new MimicbotFileError('ARCHIVE_BAD_JSON', file, 'the data after "=" is not a JSON array');
  return value;
}

/** The 1-based line where JSON.parse stopped, when its message says ("… at position N"; not all do). */
function lineOfError(text: string, offset: number, cause: unknown): number | undefined {
  const m = /position (\d+)/.exec(String((cause as Error)?.message));
  if (!m) return undefined;
  const at = offset + Number(m[1]);
  let line = 1;
  for (let i = 0; i < at && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
