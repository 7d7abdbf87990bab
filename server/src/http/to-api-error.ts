import { HTTPException } from 'hono/http-exception';
import { EngineClosedError, InvalidTokenRequestError, QueueFullError } from '../engine/errors.js';
import { FieldError } from '../service/errors.js';
import { ApiError, deadlineExceeded, internal, invalidField, queueFull, shuttingDown } from './errors.js';

export interface ErrorContext {
  requestTimeoutMs: number;
  /** For a 429: when the engine will have room again. */
  retryAfterSeconds: () => number;
}

/** The one place where errors from every layer become HTTP errors. Unknown errors become a bare 500. */
export function toApiError(error: unknown, context: ErrorContext): ApiError {
  if (error instanceof ApiError) return error;
  // FieldError names the wire field; its message reads `<field>: <problem>`.
  if (error instanceof FieldError) return invalidField(error.field, error.message.slice(error.field.length + 2));
  // The engine names its own fields (promptIds, topK), not the wire's: the service checks requests before
  // the engine sees them, so this is a check the service lacks; still the caller's input, so still a 400.
  if (error instanceof InvalidTokenRequestError) return new ApiError(400, 'invalid_request_error', 'invalid_value', error.message);
  if (error instanceof QueueFullError) return queueFull(context.retryAfterSeconds());
  if (error instanceof EngineClosedError) return shuttingDown();
  if (error instanceof Error && error.name === 'TimeoutError') return deadlineExceeded(context.requestTimeoutMs);
  if (error instanceof HTTPException) {
    return new ApiError(error.status === 413 ? 413 : 400, 'invalid_request_error', 'bad_request', error.message || 'bad request');
  }
  return internal();
}
