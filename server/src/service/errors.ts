/** A request field the service cannot accept; HTTP answers 400 naming `field` (the wire name). */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'FieldError';
  }
}
