import { HTTPException } from 'hono/http-exception';
import { EngineClosedError, InvalidTokenRequestError, QueueFullError } from '../engine/errors.js';
import { FieldError } from '../service/errors.js';
import { ApiError, deadlineExceeded, internal, invalidField, queueFull, shuttingDown } from './errors.js';

/** The one place where errors from every layer become HTTP errors. Unknown errors become a bare 500. */
export function toApiError(error: unknown, requestTimeoutMs: number): ApiError {
  if (error instanceof ApiError) return error;
  // Both carry the wire field and a message of the form `<field>: <problem>`.
  if (error instanceof FieldError || error instanceof InvalidTokenRequestError) return invalidField(error.field, error.message.slice(error.field.length + 2));
  if (error instanceof QueueFullError) return queueFull(error.retryAfterSeconds);
  if (error instanceof EngineClosedError) return shuttingDown();
  if (error instanceof Error && error.name === 'TimeoutError') return deadlineExceeded(requestTimeoutMs);
  if (error instanceof HTTPException) {
    return new ApiError(error.status === 413 ? 413 : 400, 'invalid_request_error', 'bad_request', error.message || 'bad request');
  }
  return internal();
}
