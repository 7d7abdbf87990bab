import { type ApiError, malformedRequest } from './errors.js';

/**
 * The answer to a request Node's HTTP parser refused before the app saw it (`clientError`): 431 for
 * headers (or a URL) past Node's 16 KB limit, 408 when headers or body took too long, 400 for the rest
 * (bad header bytes, NUL or other bytes not allowed in the path, a bad Content-Length). Undefined when
 * there is nobody to answer (the client reset the connection).
 */
export function clientErrorResponse(error: NodeJS.ErrnoException & { reason?: string }): ApiError | undefined {
  switch (error.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return malformedRequest('the request line and headers are larger than 16 KB', 431);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return malformedRequest('the request was not received in time (BODY_TIMEOUT_MS)', 408);
    default:
      // llhttp's reasons are fixed ASCII phrases ("Invalid header value char"); the request's bytes stay out.
      return malformedRequest(`the request is not valid HTTP/1.1: ${printable(error.reason) ?? error.code ?? 'parse error'}`);
  }
}

function printable(text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}
