/**
 * Structured one-line JSON logs, which Cloud Logging reads as fields (`severity`, `message`, the rest).
 * An event named `*_failed` is an ERROR, anything else INFO. Callers never pass secrets.
 */
export type Log = (event: string, fields?: Record<string, unknown>) => void;

/** A Log that hands each JSON line to `writeLine`. */
export function createJsonLog(writeLine: (line: string) => void): Log {
  return (event, fields = {}) => {
    writeLine(JSON.stringify({ severity: event.endsWith('_failed') ? 'ERROR' : 'INFO', message: event, ...fields }));
  };
}

/** The functions' log: one JSON line per event on stdout. */
export const jsonLog: Log = createJsonLog((line) => console.log(line));
