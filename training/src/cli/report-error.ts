/**
 * The CLI's error boundary. An expected failure becomes one line and an exit code:
 * - a typed error about a file (`MimicbotFileError`, the model folder's `ModelFolderError`) or a file system error with a path:
 *   `mimicbot: <file>[:line]: <problem>`, exit 1;
 * - a run that could not go on (`CommandFailure`, and a download or fetch that could not finish: `HubError`,
 *   `XFetchError`): `mimicbot: <command>: <problem>`, exit 1;
 * - bad arguments found while running (`UsageError`): `mimicbot: <command>: <problem>`, exit 2.
 * Anything else is a bug and keeps its stack trace. Text that came from input (file names, zip entry names)
 * is printed with control characters escaped, so a message stays one line.
 */
import { ModelFolderError } from '@mimicbot/model-format';
import { MimicbotFileError } from '../errors.js';
import { XFetchError } from '../data/x-fetch-error.js';
import { HubError } from '../hub/hub-error.js';
import { CommandFailure, UsageError } from './cli-context.js';

const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EISDIR: 'is a folder, expected a file',
  ENOTDIR: 'not a folder',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
};

/** Writes the error's line and returns the exit code. */
export function reportCliError(error: unknown, stderr: NodeJS.WritableStream, command?: string): number {
  stderr.write(`${describeCliError(error, command)}\n`);
  return error instanceof UsageError ? 2 : 1;
}

export function describeCliError(error: unknown, command?: string): string {
  const prefix = command === undefined ? 'mimicbot' : `mimicbot: ${command}`;
  if (error instanceof MimicbotFileError || error instanceof ModelFolderError) return `mimicbot: ${oneLine(error.message)}`;
  if (error instanceof UsageError || error instanceof CommandFailure || error instanceof HubError || error instanceof XFetchError) {
    return `${prefix}: ${oneLine(error.message)}`;
  }
  const fsError = error as NodeJS.ErrnoException;
  if (fsError?.code && fsError.path && FS_PROBLEMS[fsError.code]) return `mimicbot: ${oneLine(fsError.path)}: ${FS_PROBLEMS[fsError.code]}`;
  return `mimicbot: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

/** Line breaks folded into spaces; other control characters (and bidirectional overrides) shown as escapes. */
export function oneLine(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
