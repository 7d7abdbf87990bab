import { STATUS_CODES } from 'node:http';

type ErrorStatus = 400 | 401 | 404 | 405 | 408 | 413 | 429 | 431 | 499 | 500 | 503 | 504;

/**
 * Errors the HTTP layer answers with. Every response error body has OpenAI's shape,
 * `{"error": {"message", "type", "param", "code"}}`, on `/v1` and on `/` alike: `param` names the field.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** The error as the app's response. */
export function errorResponse(error: ApiError): Response {
  return new Response(JSON.stringify(error.toJSON()), { status: error.status, headers: { 'Content-Type': 'application/json', ...error.headers } });
}

/** The error as raw HTTP/1.1 bytes, for a socket Node's parser gave up on; the connection closes after it. */
export function rawErrorResponse(error: ApiError): string {
  const body = JSON.stringify(error.toJSON());
  const headers = { ...error.headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n${lines.join('')}\r\n${body}`;
}

export const invalidField = (param: string, message: string): ApiError =>
  new ApiError(400, 'invalid_request_error', 'invalid_value', `${param}: ${message}`, param);

/** The request itself could not be read as HTTP (Node's parser, a bad Host or path). */
export const malformedRequest = (message: string, status: 400 | 408 | 431 = 400): ApiError =>
  new ApiError(status, 'invalid_request_error', status === 431 ? 'headers_too_large' : status === 408 ? 'request_timeout' : 'malformed_request', message, null, {
    Connection: 'close',
  });

export const unauthorized = (param: string, message: string): ApiError =>
  new ApiError(401, 'invalid_request_error', 'invalid_api_key', message, param, { 'WWW-Authenticate': 'Bearer' });

export const payloadTooLarge = (maxBytes: number): ApiError =>
  new ApiError(413, 'invalid_request_error', 'body_too_large', `body: larger than ${maxBytes} bytes (MAX_BODY_BYTES)`, 'body');

/** The body stalled; the rest of it may still arrive, so the connection cannot carry another request. */
export const bodyTimeout = (timeoutMs: number): ApiError =>
  new ApiError(408, 'invalid_request_error', 'request_timeout', `body: not received within ${timeoutMs} ms (BODY_TIMEOUT_MS)`, 'body', {
    Connection: 'close',
  });

/**
 * The client went away before we could answer (nginx's 499). Never reaches the client; it keeps a
 * client's abort out of the 5xx counts and the error log.
 */
export const clientClosedRequest = (): ApiError =>
  new ApiError(499, 'invalid_request_error', 'client_closed_request', 'the client closed the connection before the request was read');

export const queueFull = (retryAfterSeconds: number): ApiError =>
  new ApiError(429, 'overloaded_error', 'queue_full', 'the server is at capacity; retry after the Retry-After delay', null, {
    'Retry-After': String(retryAfterSeconds),
  });

export const shuttingDown = (): ApiError =>
  new ApiError(503, 'unavailable_error', 'shutting_down', 'the server is shutting down; retry on another instance', null, {
    'Retry-After': '1',
    Connection: 'close',
  });

export const deadlineExceeded = (timeoutMs: number): ApiError =>
  new ApiError(504, 'timeout_error', 'timeout', `the request took longer than ${timeoutMs} ms (REQUEST_TIMEOUT_MS)`);

export const notFound = (path: string): ApiError =>
  new ApiError(404, 'invalid_request_error', 'not_found', `no route for ${path}`);

export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]): ApiError =>
  new ApiError(405, 'invalid_request_error', 'method_not_allowed', `${path} does not answer ${method}; it answers ${allowed.join(', ')}`, null, {
    Allow: allowed.join(', '),
  });

export const internal = (): ApiError => new ApiError(500, 'server_error', 'internal_error', 'internal server error');
