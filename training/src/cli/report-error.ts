/**
 * The CLI's error boundary: an expected failure (a typed error about a file, or a file system error with a
 * path) becomes one line `mimicbot: <file>: <problem>` and exit code 1; anything else is a bug and keeps its
 * stack trace.
 */
import { ModelFolderError } from '@mimicbot/model-format';
import { MimicbotFileError } from '../errors.js';

const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EISDIR: 'is a folder, expected a file',
  ENOTDIR: 'not a folder',
  EEXIST: 'already exists',
};

export function reportCliError(error: unknown, stderr: NodeJS.WritableStream): number {
  stderr.write(`${describeCliError(error)}\n`);
  return 1;
}

export function describeCliError(error: unknown): string {
  if (error instanceof MimicbotFileError || error instanceof ModelFolderError) return `mimicbot: ${oneLine(error.message)}`;
  const fsError = error as NodeJS.ErrnoException;
  if (fsError?.code && fsError.path && FS_PROBLEMS[fsError.code]) return `mimicbot: ${fsError.path}: ${FS_PROBLEMS[fsError.code]}`;
  return `mimicbot: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
