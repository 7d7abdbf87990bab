/**
 * The client every function uses to call the inference server.
 *
 * It speaks the server's OpenAI-compatible `POST /v1/completions` rather than the gpt-2-cloud-run-compatible `POST /`: that route
 * streams (SSE, needed by the demo page), takes stop sequences, `n` and a seed, and reports errors as
 * `{error:{message,type,param,code}}` with 429 + Retry-After when the server's queue is full — all things the
 * gpt-2-cloud-run route lacks. It also means any OpenAI-compatible server can stand in.
 *
 * Every failure comes out as a ModelError (see errors.ts); retries with backoff cover 429/502/503/504 and
 * connection errors (a server that is cold-starting). A timeout is not retried: the server is up but slow,
 * and asking again would only add load.
 *
 * `logprobs` is asked for the quality gate's ranking; a server that refuses the field (400 naming
 * `logprobs`, as servers before it did) is asked again without it, and not asked for it again.
 */
import { authHeadersSource, type IdTokenSource } from './auth.js';
import { backoffDelayMs, DEFAULT_BACKOFF, parseRetryAfterMs, RETRYABLE_STATUSES, type BackoffOptions } from './backoff.js';
import {
  ModelAbortedError,
  ModelError,
  ModelRejectedError,
  ModelResponseError,
  ModelTimeoutError,
  ModelUnavailableError,
} from './errors.js';
import { readSseData } from './sse.js';
import type {
  CompletionsRequestBody,
  CompletionsResponseBody,
  CompletionsStreamChunk,
  ModelsResponseBody,
  WireErrorBody,
  WireLogprobs,
} from './wire.js';

export interface CompletionRequest {
  prompt: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  /** How many completions to return (one call, several choices). */
  n?: number;
  stop?: string | string[];
  seed?: number;
  /** Ask for each sampled token's log-probability (0) and this many alternatives; see TokenLogprobs. */
  logprobs?: number;
}

export interface CompletionChoice {
  text: string;
  /** 'stop' (end of text or a stop sequence), 'length' (max tokens), or what the server said. */
  finishReason: string | null;
  /** Present when asked for and the server returned them. */
  logprobs?: TokenLogprobs;
}

/** The sampled tokens of one choice and how likely the model found each (OpenAI's legacy `logprobs`). */
export interface TokenLogprobs {
  tokens: string[];
  /** Natural log of each token's probability; null where the server gives none. */
  tokenLogprobs: (number | null)[];
  /** Where each token starts, in characters of the choice's text (0 for the first). */
  textOffset: number[];
}

/** One model the server serves. */
export interface ServedModel {
  id: string;
  /** One line from the model's card, when the server gives one. */
  description?: string;
}

/** One piece of a streamed first choice: new text, and on the last piece why generation ended. */
export interface StreamDelta {
  /** May be empty on the piece that only carries the finish reason. */
  text: string;
  /** Null until the server says why the choice ended ('stop', 'length', ...). */
  finishReason: string | null;
}

export interface Completion {
  /** The first choice's text, raw (see cleanGeneratedText). */
  text: string;
  choices: CompletionChoice[];
  usage?: { promptTokens: number; completionTokens: number; totalTokens: number };
  /** The model that answered, as the server names it (its `model` field), when it says. */
  model?: string;
}

export interface CallOptions {
  /** Aborting ends the call with a ModelAbortedError and closes the connection (the server frees the slot). */
  signal?: AbortSignal;
}

export interface ModelClient {
  complete(request: CompletionRequest, options?: CallOptions): Promise<Completion>;
  /**
   * The first choice as the server generates it: text deltas, the last with its finish reason. Retries
   * happen only before the first byte.
   */
  stream(request: CompletionRequest, options?: CallOptions): AsyncIterable<StreamDelta>;
  /** `GET /v1/models`: what the server serves. */
  models(options?: CallOptions): Promise<ServedModel[]>;
}

export interface RetryInfo {
  /** The retry about to happen: 1 for the first. */
  retry: number;
  delayMs: number;
  /** HTTP status, or the connection error's code. */
  reason: string;
}

export interface ModelClientOptions {
  /** Base URL of the server (`https://host` or `https://host/v1/completions`). */
  endpoint: string;
  /** The secret the server accepts (its REQUEST_TOKEN or one of its API_KEYS), sent as a Bearer token. */
  requestToken?: string;
  /** When set, a Google-signed ID token for this audience is sent too (private Cloud Run). */
  audience?: string;
  /** Where ID tokens come from; google-auth-library's default credentials unless given. */
  idTokenSource?: IdTokenSource;
  /** The `model` field sent to the server; omitted when unset (the server uses the model it serves). */
  model?: string;
  /** Per attempt: until the whole answer is read (complete) or between stream chunks (stream), ms. */
  timeoutMs: number;
  /** Retries after the first attempt, for retryable failures only. */
  retries: number;
  backoff?: Partial<BackoffOptions>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export function completionsUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/completions') ? base : `${base}/v1/completions`;
}

export function modelsUrl(endpoint: string): string {
  return completionsUrl(endpoint).replace(/\/completions$/, '/models');
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One attempt's abort controller: fires on the caller's signal or when the (re-armable) timer runs out. */
class Attempt {
  readonly controller = new AbortController();
  timedOut = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallerAbort = () => this.controller.abort();

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.arm();
  }

  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  }

  end(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    this.controller.abort();
  }

  /** The ModelError for an exception thrown while this attempt was running. */
  explain(error: unknown, what: string): ModelError {
    if (error instanceof ModelError) return error;
    if (this.callerSignal?.aborted) return new ModelAbortedError('the call to the model server was aborted');
    if (this.timedOut) return new ModelTimeoutError(this.timeoutMs);
    return new ModelUnavailableError(`${what}: ${describeFetchError(error)}`, { attempts: 1, cause: error });
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function toWireBody(request: CompletionRequest, model: string | undefined, stream: boolean): CompletionsRequestBody {
  const body: CompletionsRequestBody = { prompt: request.prompt };
  if (model !== undefined) body.model = model;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.n !== undefined) body.n = request.n;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.logprobs !== undefined) body.logprobs = request.logprobs;
  if (stream) body.stream = true;
  return body;
}

/**
 * The wire's logprobs as the client gives them out, offsets made relative to the choice's first token; a
 * missing or malformed object reads as none (the gate then ranks without them) rather than failing the reply.
 */
export function readLogprobs(wire: WireLogprobs | null | undefined): TokenLogprobs | undefined {
  if (!wire || typeof wire !== 'object') return undefined;
  const { tokens, token_logprobs: logprobs, text_offset: offsets } = wire;
  if (!Array.isArray(tokens) || !Array.isArray(logprobs) || !Array.isArray(offsets)) return undefined;
  if (logprobs.length !== tokens.length || offsets.length !== tokens.length || tokens.length === 0) return undefined;
  if (!tokens.every((t) => typeof t === 'string')) return undefined;
  if (!logprobs.every((l) => l === null || (typeof l === 'number' && Number.isFinite(l)))) return undefined;
  if (!offsets.every((o, i) => Number.isInteger(o) && (i === 0 || o >= offsets[i - 1]))) return undefined;
  return { tokens: [...tokens], tokenLogprobs: [...logprobs], textOffset: offsets.map((o) => o - offsets[0]) };
}

async function readErrorBody(response: Response): Promise<Partial<WireErrorBody['error']>> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as Partial<WireErrorBody>;
    if (parsed.error && typeof parsed.error === 'object') return parsed.error;
  } catch {
    // not JSON: a proxy's HTML page, say; fall through with its first line
  }
  return { message: text.split('\n')[0]?.slice(0, 200) || response.statusText };
}

export function createModelClient(options: ModelClientOptions): ModelClient {
  const url = completionsUrl(options.endpoint);
  const fetchImpl = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
  const authHeaders = authHeadersSource(options);

  /** Set once the server has refused `logprobs`: it is not asked for again. */
  let logprobsRefused = false;

  /** Sends the request, retrying retryable failures; returns the first 2xx response with its live attempt. */
  async function send(target: { url: string; body?: CompletionsRequestBody }, signal: AbortSignal | undefined) {
    const { url, body } = target;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new ModelAbortedError('the call to the model server was aborted');
      const headers = await authHeaders();
      const live = new Attempt(options.timeoutMs, signal);
      let status: number | undefined;
      let retryAfterMs: number | undefined;
      let failure: ModelError;
      try {
        const response = await fetchImpl(url, {
          method: body ? 'POST' : 'GET',
          headers: {
            ...(body ? { 'content-type': 'application/json' } : {}),
            accept: body?.stream ? 'text/event-stream' : 'application/json',
            ...headers,
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: live.controller.signal,
        });
        if (response.ok) return { response, live };
        status = response.status;
        retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), now());
        const error = await readErrorBody(response);
        const message = error.message ?? `HTTP ${status}`;
        failure =
          status >= 500 || RETRYABLE_STATUSES.has(status)
            ? new ModelUnavailableError(`the model server answered ${status}: ${message}`, { status, attempts: attempt })
            : new ModelRejectedError(message, {
                status,
                type: error.type ?? undefined,
                param: error.param ?? undefined,
                errorCode: error.code ?? undefined,
              });
      } catch (error) {
        failure = live.explain(error, `could not reach the model server at ${url}`);
      }
      // On success (returned above) the attempt stays live: the caller still reads the body under its timer.
      live.end();
      const retryable =
        failure instanceof ModelUnavailableError && (status === undefined || RETRYABLE_STATUSES.has(status));
      if (!retryable || attempt > options.retries) {
        if (failure instanceof ModelUnavailableError) {
          throw new ModelUnavailableError(failure.message, { status, attempts: attempt, cause: failure.cause });
        }
        throw failure;
      }
      const delayMs = backoffDelayMs(attempt, retryAfterMs, backoff, random());
      options.onRetry?.({ retry: attempt, delayMs, reason: status !== undefined ? String(status) : describeFetchError(failure.cause) });
      await sleep(delayMs);
    }
  }

  async function readJson<T>(response: Response, live: Attempt): Promise<T> {
    try {
      return (await response.json()) as T;
    } catch (error) {
      const explained = live.explain(error, 'reading the model server answer failed');
      throw explained instanceof ModelUnavailableError
        ? new ModelResponseError('the model server answered with a body that is not JSON', { cause: error })
        : explained;
    } finally {
      live.end();
    }
  }

  async function complete(request: CompletionRequest, callOptions: CallOptions = {}): Promise<Completion> {
    const wanted = logprobsRefused ? { ...request, logprobs: undefined } : request;
    let sent;
    try {
      sent = await send({ url, body: toWireBody(wanted, options.model, false) }, callOptions.signal);
    } catch (error) {
      if (wanted.logprobs === undefined || !(error instanceof ModelRejectedError) || error.param !== 'logprobs') throw error;
      logprobsRefused = true;
      return complete(request, callOptions);
    }
    const parsed = await readJson<CompletionsResponseBody>(sent.response, sent.live);
    if (!Array.isArray(parsed?.choices) || parsed.choices.length === 0 || typeof parsed.choices[0]?.text !== 'string') {
      throw new ModelResponseError('the model server answer has no choices[].text');
    }
    const choices = parsed.choices.map((c): CompletionChoice => {
      const logprobs = wanted.logprobs === undefined ? undefined : readLogprobs(c.logprobs);
      return { text: String(c.text), finishReason: c.finish_reason ?? null, ...(logprobs ? { logprobs } : {}) };
    });
    const usage = parsed.usage
      ? {
          promptTokens: parsed.usage.prompt_tokens,
          completionTokens: parsed.usage.completion_tokens,
          totalTokens: parsed.usage.total_tokens,
        }
      : undefined;
    return { text: choices[0].text, choices, usage, ...(typeof parsed.model === 'string' ? { model: parsed.model } : {}) };
  }

  async function* stream(request: CompletionRequest, callOptions: CallOptions = {}): AsyncGenerator<StreamDelta> {
    const { response, live } = await send({ url, body: toWireBody({ ...request, logprobs: undefined }, options.model, true) }, callOptions.signal);
    if (!response.body) {
      live.end();
      throw new ModelResponseError('the model server sent no stream body');
    }
    let done = false;
    try {
      for await (const data of readSseData(rearmOnEachChunk(response.body, live))) {
        if (data.trim() === '[DONE]') {
          done = true;
          return;
        }
        let chunk: CompletionsStreamChunk & Partial<WireErrorBody>;
        try {
          chunk = JSON.parse(data);
        } catch (error) {
          throw new ModelResponseError('the model server sent a stream event that is not JSON', { cause: error });
        }
        if (chunk.error) {
          throw new ModelUnavailableError(`the model server failed mid-stream: ${chunk.error.message}`, { attempts: 1 });
        }
        const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
        const text = typeof choice?.text === 'string' ? choice.text : '';
        const finishReason = choice?.finish_reason ?? null;
        if (text !== '' || finishReason !== null) yield { text, finishReason };
      }
    } catch (error) {
      throw live.explain(error, 'the model server stream broke');
    } finally {
      live.end();
    }
    if (!done) throw new ModelUnavailableError('the model server stream ended before [DONE]', { attempts: 1 });
  }

  async function models(callOptions: CallOptions = {}): Promise<ServedModel[]> {
    const { response, live } = await send({ url: modelsUrl(options.endpoint) }, callOptions.signal);
    const parsed = await readJson<ModelsResponseBody>(response, live);
    if (!Array.isArray(parsed?.data)) throw new ModelResponseError('the model server answer to /v1/models has no data[]');
    return parsed.data
      .filter((model) => typeof model?.id === 'string')
      .map((model) => {
        const description = typeof model.description === 'string' ? model.description.trim() : '';
        return description === '' ? { id: model.id } : { id: model.id, description };
      });
  }

  return { complete, stream, models };
}

/** Passes the body's chunks through, re-arming the attempt's timer on each one (an idle timeout). */
async function* rearmOnEachChunk(body: ReadableStream<Uint8Array>, live: Attempt): AsyncGenerator<Uint8Array> {
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    live.arm();
    yield chunk;
  }
}
