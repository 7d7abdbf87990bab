import type { Engine, SamplingParams, TokenLogprob } from '../engine/types.js';
import { OffsetDecoder } from '../text/offset-decoder.js';
import { LogprobsRecorder, type TextLogprobs } from '../text/logprobs-recorder.js';
import { tokenTextOf } from '../text/token-text.js';
import { StopSequenceMatcher } from '../text/stop-sequences.js';
import type { TokenDecoder } from '../text/tokenizer.js';

export interface TextGenerationRequest {
  promptIds: readonly number[];
  maxNewTokens: number;
  sampling: SamplingParams;
  /** Text that ends the sample; it is not part of the result. */
  stop: readonly string[];
  /** Client gone or deadline passed: generation ends and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Report log-probabilities with this many alternatives per token (0–5); absent: none. */
  logprobs?: number;
  /** The returned text starts with the prompt (and, with `logprobs`, so do the log-probabilities: the prompt is scored). */
  echo?: boolean;
  /**
   * Each piece of text as soon as it is safe to send (whole characters, no part of a stop sequence), with
   * `logprobs` the entries of the tokens whose text starts in it.
   */
  onText?: (delta: string, logprobs?: TextLogprobs) => void;
  /** Called once, when the model has produced its first token (time-to-first-token metric). */
  onFirstToken?: () => void;
}

export interface TextGenerationResult {
  text: string;
  /** `stop`: EOS or a stop sequence; `length`: max new tokens reached. */
  finishReason: 'stop' | 'length';
  completionTokens: number;
  /** When `logprobs` was asked: one entry per token whose text starts in `text`. */
  logprobs?: TextLogprobs;
}

export interface TextDeps {
  engine: Engine;
  tokenizer: TokenDecoder;
}

/**
 * One sample: token ids through the engine, back to text, cut at the first stop sequence. Streaming and
 * non-streaming callers get the same text, because the non-streamed text is the concatenation of `onText`.
 */
export async function generateText(deps: TextDeps, request: TextGenerationRequest): Promise<TextGenerationResult> {
  request.signal?.throwIfAborted();
  const decoder = new OffsetDecoder(deps.tokenizer);
  const matcher = new StopSequenceMatcher(request.stop);
  // Our own controller, so a matched stop sequence ends generation without the caller's signal.
  const stopper = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stopper.signal]) : stopper.signal;
  let text = '';
  let completionTokens = 0;
  let stoppedBySequence = false;
  const recorder = request.logprobs === undefined ? null : new LogprobsRecorder(tokenTextOf(deps.tokenizer));
  const emit = (delta: string) => {
    if (delta === '') return;
    text += delta;
    // Taken whether or not anyone streams: what is taken is what a plain response carries.
    const logprobs = recorder?.take(text.length);
    if (logprobs) request.onText?.(delta, logprobs);
    else request.onText?.(delta);
  };
  // Text the tokens so far decode to, echo included; and the scored tokens whose text has not come out yet.
  let produced = 0;
  let held: { id: number; scored: TokenLogprob | null }[] = [];
  const decoded = (piece: { text: string; offsets: number[] }) => {
    if (piece.offsets.length > 0) {
      held.forEach(({ id, scored }, j) => recorder?.add(produced + piece.offsets[j], id, scored));
      held = [];
    }
    produced += piece.text.length;
    return piece.text;
  };
  const scorePrompt = request.echo === true && recorder !== null;
  const echoPrompt = (scores: readonly TokenLogprob[] | null) => {
    // Echoed text is the prompt as the model read it, and never cut by a stop sequence.
    const prompt = new OffsetDecoder(deps.tokenizer);
    let echoed = '';
    request.promptIds.forEach((id, t) => {
      if (scores) held.push({ id, scored: t === 0 ? null : scores[t - 1] });
      echoed += decoded(prompt.push(id));
    });
    echoed += decoded(prompt.flush());
    held = [];
    emit(echoed);
  };
  if (request.echo && !scorePrompt) echoPrompt(null);

  const result = await deps.engine.generate({
    promptIds: request.promptIds,
    maxNewTokens: request.maxNewTokens,
    sampling: request.sampling,
    stopTokenIds: [deps.tokenizer.eosTokenId],
    signal,
    ...(request.logprobs === undefined ? {} : { logprobs: request.logprobs }),
    ...(scorePrompt ? { scorePrompt, onPromptScored: echoPrompt } : {}),
    onToken: (id, logprob) => {
      if (stoppedBySequence) return;
      if (completionTokens === 0) request.onFirstToken?.();
      completionTokens++;
      if (logprob) held.push({ id, scored: logprob });
      const { text: safe, stopped } = matcher.push(decoded(decoder.push(id)));
      emit(safe);
      if (stopped) {
        stoppedBySequence = true;
        stopper.abort();
      }
    },
  });

  if (request.signal?.aborted) throw request.signal.reason;
  if (stoppedBySequence) return { text, finishReason: 'stop', completionTokens, ...(recorder ? { logprobs: recorder.takenSoFar() } : {}) };
  const { text: tail, stopped } = matcher.push(decoded(decoder.flush()));
  emit(tail);
  if (!stopped) emit(matcher.flush());
  const finishReason = stopped || result.finishReason === 'stop' ? 'stop' : 'length';
  return { text, finishReason, completionTokens, ...(recorder ? { logprobs: recorder.takenSoFar() } : {}) };
}
