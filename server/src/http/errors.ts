/**
 * Errors the HTTP layer answers with. Every response error body has OpenAI's shape,
 * `{"error": {"message", "type", "param", "code"}}`, on `/v1` and on `/` alike: `param` names the field.
 */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 413 | 429 | 500 | 503 | 504,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    /** Sent as `Retry-After` (seconds). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidField = (param: string, message: string): ApiError =>
  new ApiError(400, 'invalid_request_error', 'invalid_value', `${param}: ${message}`, param);

export const unauthorized = (param: string, message: string): ApiError =>
  new ApiError(401, 'invalid_request_error', 'invalid_api_key', message, param);

export const payloadTooLarge = (maxBytes: number): ApiError =>
  new ApiError(413, 'invalid_request_error', 'body_too_large', `body: larger than ${maxBytes} bytes (MAX_BODY_BYTES)`, 'body');

export const queueFull = (retryAfterSeconds: number): ApiError =>
  new ApiError(429, 'overloaded_error', 'queue_full', 'the server is at capacity; retry after the Retry-After delay', null, retryAfterSeconds);

export const shuttingDown = (): ApiError =>
  new ApiError(503, 'unavailable_error', 'shutting_down', 'the server is shutting down; retry on another instance', null, 1);

export const deadlineExceeded = (timeoutMs: number): ApiError =>
  new ApiError(504, 'timeout_error', 'timeout', `the request took longer than ${timeoutMs} ms (REQUEST_TIMEOUT_MS)`);

export const notFound = (path: string): ApiError =>
  new ApiError(404, 'invalid_request_error', 'not_found', `no route for ${path}`);

export const internal = (): ApiError => new ApiError(500, 'server_error', 'internal_error', 'internal server error');
