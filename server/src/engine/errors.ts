/**
 * The engine's typed errors. Each has a `code` for programs and a one-line message for people; start-up
 * errors also say how to fix the problem. They cross the worker boundary as `{ name, code, message }` and
 * are rebuilt on the other side by `reviveEngineError`.
 */

export type ModelLoadErrorCode =
  | 'MODEL_DIR_NOT_FOUND'
  | 'MODEL_GRAPH_NOT_FOUND'
  | 'MODEL_CONFIG_NOT_FOUND'
  | 'MODEL_CONFIG_INVALID'
  /** config.json says something its graph contradicts (n_positions, vocab_size, n_layer, n_head, n_embd). */
  | 'MODEL_CONFIG_MISMATCH'
  | 'MODEL_GRAPH_INVALID'
  | 'MODEL_GRAPH_UNSUPPORTED'
  | 'MODEL_WORKER_FAILED';

/** The model folder cannot be served. The message reads `<file>: <problem>. <fix>`. */
export class ModelLoadError extends Error {
  constructor(
    readonly code: ModelLoadErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}

/** The waiting queue is full; HTTP maps this to 429 with `Retry-After: retryAfterSeconds`. */
export class QueueFullError extends Error {
  readonly code = 'QUEUE_FULL';
  constructor(
    readonly queueDepth: number,
    readonly retryAfterSeconds = 1,
  ) {
    super(`the engine's waiting queue is full (${queueDepth} requests waiting); retry later`);
    this.name = 'QueueFullError';
  }
}

/** `generate` was called after `close()`. */
export class EngineClosedError extends Error {
  readonly code = 'ENGINE_CLOSED';
  constructor() {
    super('the engine is shutting down and takes no new requests');
    this.name = 'EngineClosedError';
  }
}

/** A request the engine cannot run (prompt too long for the model's context, a token id outside the vocabulary). */
export class InvalidTokenRequestError extends Error {
  readonly code = 'INVALID_TOKEN_REQUEST';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidTokenRequestError';
  }
}

export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  field?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const e = error as Error & { code?: unknown; field?: unknown };
    return {
      name: e.name,
      message: e.message,
      code: typeof e.code === 'string' ? e.code : undefined,
      field: typeof e.field === 'string' ? e.field : undefined,
    };
  }
  return { name: 'Error', message: String(error) };
}

export function reviveEngineError(e: SerializedError): Error {
  switch (e.name) {
    case 'ModelLoadError':
      return new ModelLoadError((e.code as ModelLoadErrorCode) ?? 'MODEL_WORKER_FAILED', e.message);
    case 'InvalidTokenRequestError':
    case 'InvalidSamplingParamsError': {
      const field = e.field ?? 'request';
      return new InvalidTokenRequestError(field, e.message.replace(`${field}: `, ''));
    }
    default: {
      const err = new Error(e.message);
      err.name = e.name;
      return err;
    }
  }
}
