/**
 * The wire format of the inference server's OpenAI-compatible `POST /v1/completions`, as the functions use it.
 * Field names are OpenAI's (snake_case); the client converts them to camelCase once, at the edge.
 */

export interface CompletionsRequestBody {
  model?: string;
  prompt: string;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  n?: number;
  stop?: string | string[];
  seed?: number;
  stream?: boolean;
  /** OpenAI's legacy field: return the sampled tokens' log-probabilities and the top `logprobs` alternatives (0: none). */
  logprobs?: number;
}

export type WireFinishReason = 'stop' | 'length' | null;

export interface CompletionsChoice {
  index: number;
  text: string;
  logprobs?: WireLogprobs | null;
  finish_reason: WireFinishReason | string;
}

/**
 * OpenAI's legacy completions `logprobs` object: one entry per token, in order. `text_offset` is where each
 * token starts, counted in characters from the start of the prompt (OpenAI) or of the completion (some
 * servers); the client only relies on the differences between offsets.
 */
export interface WireLogprobs {
  tokens: string[];
  token_logprobs: (number | null)[];
  top_logprobs?: (Record<string, number> | null)[] | null;
  text_offset: number[];
}

export interface CompletionsUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface CompletionsResponseBody {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices: CompletionsChoice[];
  usage?: CompletionsUsage;
}

/** One `data:` event of a streamed completion; the stream ends with `data: [DONE]`. */
export interface CompletionsStreamChunk {
  choices: CompletionsChoice[];
}

/** `GET /v1/models`: the models the server serves; mimicbot's carry a one-line `description` from the model card. */
export interface ModelsResponseBody {
  object?: string;
  data: { id: string; object?: string; description?: string | null }[];
}

/** The server's (and OpenAI's) error body. */
export interface WireErrorBody {
  error: { message: string; type?: string; param?: string | null; code?: string | null };
}
