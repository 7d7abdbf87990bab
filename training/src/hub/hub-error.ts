export type HubErrorCode =
  | 'HUB_BAD_MODEL_NAME'
  | 'HUB_NOT_FOUND'
  | 'HUB_AUTH'
  | 'HUB_HTTP'
  | 'HUB_INTERRUPTED'
  | 'HUB_SIZE_MISMATCH'
  | 'HUB_CHECKSUM_MISMATCH';

/** A download that cannot finish; the message is one line and never holds the token. */
export class HubError extends Error {
  readonly code: HubErrorCode;
  constructor(code: HubErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubError';
    this.code = code;
  }
}
