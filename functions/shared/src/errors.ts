/**
 * What can go wrong calling the model server. Every failure of the client is one of these, so callers
 * (Slack, X, demo) can map them to a friendly reply without ever seeing a raw `fetch` error.
 */

export abstract class ModelError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The server could not be reached or could not serve (connection refused, 5xx, 429 after all retries). */
export class ModelUnavailableError extends ModelError {
  readonly code = 'model_unavailable';
  /** HTTP status of the last attempt, absent when no response came back at all. */
  readonly status?: number;
  readonly attempts: number;
  constructor(message: string, details: { status?: number; attempts: number; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.status = details.status;
    this.attempts = details.attempts;
  }
}

/** The server answered with a 4xx (other than 429): the request itself is wrong or not allowed. */
export class ModelRejectedError extends ModelError {
  readonly code = 'model_rejected';
  readonly status: number;
  /** The server's error `type`, `param` and `code` fields, when it sent them. */
  readonly type?: string;
  readonly param?: string;
  readonly errorCode?: string;
  constructor(message: string, details: { status: number; type?: string; param?: string; errorCode?: string }) {
    super(message);
    this.status = details.status;
    this.type = details.type;
    this.param = details.param;
    this.errorCode = details.errorCode;
  }
}

/** An attempt took longer than the client's `timeoutMs` (waiting for the answer, or between stream chunks). */
export class ModelTimeoutError extends ModelError {
  readonly code = 'model_timeout';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`the model server did not answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The server answered 2xx with a body that is not a completion. */
export class ModelResponseError extends ModelError {
  readonly code = 'model_bad_response';
}

/** No credentials could be had for the server (e.g. the Google ID token could not be fetched). */
export class ModelAuthError extends ModelError {
  readonly code = 'model_auth';
}

/** The caller's own AbortSignal fired. */
export class ModelAbortedError extends ModelError {
  readonly code = 'model_aborted';
}

export function isModelError(error: unknown): error is ModelError {
  return error instanceof ModelError;
}
