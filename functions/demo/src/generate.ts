/**
 * One persona's reply to one prompt, as JSON or as a stream of events (see handler.ts for the wire), and
 * the saving of what was shown so 👍/👎 can find it. Every draw carries a fresh random seed: the saved
 * reply's seed draws the same text again (same model, prompt and settings, n = 1). The reply loop asks for
 * `n` drafts with one seed, and the server gives choice j the seed + j, so the chosen draft's own seed (the
 * loop's Draft.seed) is its draw's plus its choice; a streamed draw is one choice with its draw's seed.
 */
import type { Response } from '@google-cloud/functions-framework';
import {
  draftSource,
  isModelError,
  joinToPrompt,
  servedReply,
  type DraftSource,
  outcomeLogFields,
  type DraftStep,
  type FeedbackStore,
  type GenerationSettings,
  type Log,
  type ModelClient,
  type ReasonCounts,
  type ReplyLoop,
} from '@mimicbot/functions-shared';
import { newReplyId } from './reply-id.js';
import { streamReply, type StreamEvent } from './stream-reply.js';

export interface GenerateDeps {
  /** With the quality gate and MAX_ATTEMPTS draws, over the model given (one persona's), each draw seeded by `seed`. */
  replyLoop: (model: Pick<ModelClient, 'complete'>, seed: () => number) => ReplyLoop;
  /** The whole-draft steps a streamed draft is judged by at its end: the reply loop's own. */
  steps: readonly DraftStep[];
  /** The checks each streamed word must pass before it is sent: the gate's streaming checks and the filter. */
  streamingChecks: readonly DraftStep[];
  /** Draws a streamed reply may take (MAX_ATTEMPTS). */
  maxAttempts: number;
  generation: GenerationSettings;
  feedback: FeedbackStore;
  newSeed: () => number;
  log: Log;
}

/** Who answers: the persona's model client (it sends the persona's `model`) and the id feedback records. */
export interface Speaker {
  model: ModelClient;
  id: string;
}

const BLOCKED_MESSAGE = 'The bot came up with something the filter will not show. Try regenerating.';
const GATED_MESSAGE = 'Nothing the bot came up with read well enough to show. Try regenerating.';
const NOTHING_MESSAGE = 'The bot had nothing to say. Try regenerating.';

/** Why nothing is shown, said honestly: the filter's refusal first, then the gate's, then plain silence. */
function nothingPassed(rejected: ReasonCounts): { blocked: boolean; message: string } {
  if ((rejected.filtered ?? 0) > 0) return { blocked: true, message: BLOCKED_MESSAGE };
  const gated = Object.entries(rejected).some(([reason, count]) => reason !== 'empty' && count > 0);
  return { blocked: false, message: gated ? GATED_MESSAGE : NOTHING_MESSAGE };
}

export function errorStatus(error: unknown): { status: number; message: string } {
  if (isModelError(error)) {
    if (error.code === 'model_timeout') return { status: 504, message: 'The bot took too long to answer. Try again.' };
    if (error.code === 'model_rejected') return { status: 502, message: `The model server refused the request: ${error.message}` };
    return { status: 503, message: 'The bot is not available right now (the model server may be starting). Try again in a minute.' };
  }
  return { status: 500, message: 'Something went wrong generating a reply.' };
}

/**
 * Saves a shown reply under a new random id (through servedReply, as Slack saves its replies); without the id
 * (the store failed) the page offers no rating. The model recorded is the persona's id, on both paths.
 */
async function saveShown(deps: GenerateDeps, source: Omit<DraftSource, 'model'>, shown: { speaker: Speaker; prompt: string; text: string }): Promise<string | undefined> {
  const id = newReplyId();
  try {
    await deps.feedback.saveReply(servedReply(source, { surface: 'demo', id, prompt: shown.prompt, text: shown.text, model: shown.speaker.id, servedAt: Date.now() }));
    return id;
  } catch (error) {
    deps.log('save_reply_failed', { error: (error as Error).message });
    return undefined;
  }
}

export async function generateJson(deps: GenerateDeps, speaker: Speaker, prompt: string, res: Response): Promise<void> {
  const outcome = await deps.replyLoop(speaker.model, deps.newSeed).reply(prompt);
  deps.log('reply_decision', outcomeLogFields(outcome));
  if (outcome.status === 'chosen') {
    const { draft } = outcome;
    // The reply loop seeds every draw and gives the chosen draft its own seed (its draw's plus its choice).
    const { model: _servedAs, ...source } = draftSource(outcome);
    const replyId = await saveShown(deps, source, { speaker, prompt, text: draft.continuation });
    res.status(200).json({ prompt, text: draft.continuation, joined: joinToPrompt(prompt, draft.raw, draft.continuation), model: speaker.id, replyId });
    return;
  }
  res.status(200).json({ prompt, text: '', ...nothingPassed(outcome.rejected), rejected: outcome.rejected });
}

export async function generateStream(deps: GenerateDeps, speaker: Speaker, prompt: string, res: Response): Promise<void> {
  const visitor = new AbortController();
  // The visitor left (closed the tab, pressed stop): stop generating for them.
  res.on('close', () => visitor.abort());
  // The seed of the draw in progress: `done` follows its own draw's stream, so it is that draw's seed.
  let seed = 0;
  const events = streamReply({
    prompt,
    draw: () => {
      seed = deps.newSeed();
      return speaker.model.stream({ prompt, ...deps.generation, seed }, { signal: visitor.signal });
    },
    steps: deps.steps,
    streamingChecks: deps.streamingChecks,
    maxDraws: deps.maxAttempts,
  })[Symbol.asyncIterator]();
  // Wait for the first event before committing to 200, so a server that is down still gets a JSON error.
  const first = await events.next();
  res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' });
  res.flushHeaders();
  const send = (event: string, data: unknown) => void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const relay = async (event: StreamEvent) => {
    if (event.type === 'delta') send('delta', { text: event.text });
    else if (event.type === 'reset') send('reset', {});
    else if (event.type === 'done') {
      deps.log('reply_decision', { status: 'chosen', draws: event.draws, drafts: event.draws, rejected: event.rejected, streaming: true });
      const replyId = await saveShown(deps, { seed, settings: deps.generation, continuation: event.text }, { speaker, prompt: event.prompt, text: event.text });
      send('done', { prompt: event.prompt, text: event.text, joined: event.joined, model: speaker.id, replyId });
    } else {
      deps.log('reply_decision', { status: 'nothing_passed', draws: event.draws, drafts: event.draws, rejected: event.rejected, streaming: true });
      const { blocked, message } = nothingPassed(event.rejected);
      send(blocked ? 'blocked' : 'nothing', { message, rejected: event.rejected });
    }
  };
  try {
    for (let next = first; !next.done; next = await events.next()) await relay(next.value);
  } catch (error) {
    if (!visitor.signal.aborted) {
      deps.log('generate_failed', { error: (error as Error).message, streaming: true });
      send('error', { message: errorStatus(error).message });
    }
  } finally {
    res.end();
  }
}
