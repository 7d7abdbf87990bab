import type { Engine, SamplingParams } from '../engine/types.js';
import { IncrementalDecoder } from '../text/incremental-decoder.js';
import { StopSequenceMatcher } from '../text/stop-sequences.js';
import type { TextTokenizer } from '../text/tokenizer.js';

export interface TextGenerationRequest {
  promptIds: readonly number[];
  maxNewTokens: number;
  sampling: SamplingParams;
  /** Text that ends the sample; it is not part of the result. */
  stop: readonly string[];
  /** Client gone or deadline passed: generation ends and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Each piece of text as soon as it is safe to send (whole characters, no part of a stop sequence). */
  onText?: (delta: string) => void;
  /** Called once, when the model has produced its first token (time-to-first-token metric). */
  onFirstToken?: () => void;
}

export interface TextGenerationResult {
  text: string;
  /** `stop`: EOS or a stop sequence; `length`: max new tokens reached. */
  finishReason: 'stop' | 'length';
  completionTokens: number;
}

export interface TextDeps {
  engine: Engine;
  tokenizer: TextTokenizer;
}

/**
 * One sample: token ids through the engine, back to text, cut at the first stop sequence. Streaming and
 * non-streaming callers get the same text, because the non-streamed text is the concatenation of `onText`.
 */
export async function generateText(deps: TextDeps, request: TextGenerationRequest): Promise<TextGenerationResult> {
  request.signal?.throwIfAborted();
  const decoder = new IncrementalDecoder(deps.tokenizer);
  const matcher = new StopSequenceMatcher(request.stop);
  // Our own controller, so a matched stop sequence ends generation without the caller's signal.
  const stopper = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stopper.signal]) : stopper.signal;
  let text = '';
  let completionTokens = 0;
  let stoppedBySequence = false;
  const emit = (delta: string) => {
    if (delta === '') return;
    text += delta;
    request.onText?.(delta);
  };

  const result = await deps.engine.generate({
    promptIds: request.promptIds,
    maxNewTokens: request.maxNewTokens,
    sampling: request.sampling,
    stopTokenIds: [deps.tokenizer.eosTokenId],
    signal,
    onToken: (id) => {
      if (stoppedBySequence) return;
      if (completionTokens === 0) request.onFirstToken?.();
      completionTokens++;
      const { text: safe, stopped } = matcher.push(decoder.push(id));
      emit(safe);
      if (stopped) {
        stoppedBySequence = true;
        stopper.abort();
      }
    },
  });

  if (request.signal?.aborted) throw request.signal.reason;
  if (stoppedBySequence) return { text, finishReason: 'stop', completionTokens };
  const { text: tail, stopped } = matcher.push(decoder.flush());
  emit(tail);
  if (!stopped) emit(matcher.flush());
  const finishReason = stopped || result.finishReason === 'stop' ? 'stop' : 'length';
  return { text, finishReason, completionTokens };
}
