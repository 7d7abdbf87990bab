/** X's user timeline returns at most the newest 3,200 posts, whatever the paging (docs, timelines/integrate). */
export const X_TIMELINE_CAP = 3200;

export type XFetchErrorCode = 'X_AUTH' | 'X_USER_NOT_FOUND' | 'X_REQUEST_FAILED' | 'X_STATE_MISMATCH';

/**
 * A fetch that cannot go on; the message is one line and never holds the token. In a file of its own so that
 * what reports it need not load the X client library.
 */
export class XFetchError extends Error {
  readonly code: XFetchErrorCode;
  constructor(code: XFetchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XFetchError';
    this.code = code;
  }
}
