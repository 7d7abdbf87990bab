/**
 * The seam between the token-level engine (model, KV cache, batching, sampling) and the text-level layers
 * above it (tokenizer, stop sequences, streaming, HTTP). The engine sees token ids only.
 */

import type { SamplingParams } from '@mimicbot/model-format/sampling';
import type { GraphFile } from '@mimicbot/model-format';
import type { TokenLogprob } from './token-logprobs.js';

export type { TokenLogprob };

/** How the next token is picked: the one sampler's parameters (it lives in @mimicbot/model-format/sampling). */
export type { SamplingParams };

/** Sequences decoded together per step unless MAX_BATCH says otherwise; the KV cache is reserved for this many rows. */
export const DEFAULT_MAX_BATCH = 16;

/** STREAM_INTERVAL_MS unless set: how long a stream's later tokens may wait to go out together (outbox.ts). */
export const DEFAULT_STREAM_INTERVAL_MS = 20;

export interface TokenRequest {
  promptIds: readonly number[];
  maxNewTokens: number;
  sampling: SamplingParams;
  /** Generation ends (and the token is not emitted) when one of these is sampled, e.g. EOS. */
  stopTokenIds: readonly number[];
  /** Aborting (client gone, deadline, a stop sequence matched above) frees the slot at the next step. */
  signal?: AbortSignal;
  /**
   * Report each new token's log-probability with this many most likely alternatives (0 to
   * MAX_TOP_LOGPROBS); absent: none, and nothing is computed.
   */
  logprobs?: number;
  /** Also score the prompt: `onPromptScored` gets each prompt token's log-probability but the first's. */
  scorePrompt?: boolean;
  /** Called for each new token as soon as it is sampled; `logprob` when `logprobs` was asked. */
  onToken?: (tokenId: number, logprob?: TokenLogprob) => void;
  /** With `scorePrompt`: once, after the prompt is read and before any token, entry t for prompt token t + 1. */
  onPromptScored?: (scores: TokenLogprob[]) => void;
}

export type FinishReason = 'stop' | 'length' | 'aborted';

export interface TokenResult {
  tokenIds: number[];
  finishReason: FinishReason;
}

export interface EngineStats {
  queueDepth: number;
  activeSequences: number;
}

export interface Engine {
  /** Resolves when the sequence ends; rejects with a QueueFullError when the waiting queue is full. */
  generate(request: TokenRequest): Promise<TokenResult>;
  stats(): EngineStats;
  /** Stops taking requests, lets running ones finish, frees the model. */
  close(): Promise<void>;
}

/** The GPT-2 hyper-parameters the engine needs, from the folder's `config.json`. */
export interface ModelConfig {
  nLayer: number;
  nHead: number;
  nEmbd: number;
  vocabSize: number;
  /** Context length: prompt + new tokens must stay below it. */
  nPositions: number;
  eosTokenId: number;
  bosTokenId: number;
}

/** What the loaded model is (`createEngine` returns it as `engine.model`). */
export interface ModelInfo extends ModelConfig {
  /** The ONNX file being served. */
  graphFile: string;
  /** The same graph as the model folder's table names it: file relative to the folder, contract, precision (fp32, q8, q4). */
  graph: GraphFile;
  /** 'server': our server-shaped graph; 'standard': the optimum contract. */
  contract: 'standard' | 'server';
  hasPositionIds: boolean;
  /** Effective max batch size (1 for graphs without position_ids). */
  maxBatchSize: number;
  /** Whether the graph can return every prompt position's logits (`scorePrompt`); server graphs exported before `logits_positions` cannot. */
  canScorePrompt: boolean;
}
