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
}

export type WireFinishReason = 'stop' | 'length' | null;

export interface CompletionsChoice {
  index: number;
  text: string;
  finish_reason: WireFinishReason | string;
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

/** The server's (and OpenAI's) error body. */
export interface WireErrorBody {
  error: { message: string; type?: string; param?: string | null; code?: string | null };
}
