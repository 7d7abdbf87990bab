import { afterEach, describe, expect, it } from 'vitest';
import { FakeBatchDecoder, fakeLogits, type FakeDecoderOptions } from '../../testing/index.js';
import { createSampler } from '@mimicbot/model-format/sampling';
import { InvalidTokenRequestError } from './errors.js';
import { Scheduler, type PlainTokenRequest } from './scheduler.js';
import { scoreToken } from './token-logprobs.js';
import type { SamplingParams, TokenLogprob, TokenResult } from './types.js';

const GREEDY: SamplingParams = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
/** Every processor on, so that scores taken after them would differ from the model's. */
const SHAPED: SamplingParams = { temperature: 0.7, topK: 5, topP: 0.8, repetitionPenalty: 1.5, seed: 9 };

interface Seen {
  tokens: { id: number; logprob?: TokenLogprob }[];
  prompt?: TokenLogprob[];
  outcome: Promise<{ result: TokenResult } | { error: unknown }>;
}

let open: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

function start(options: FakeDecoderOptions = {}) {
  const decoder = new FakeBatchDecoder(options);
  const seen = new Map<number, Seen>();
  const settle = new Map<number, (o: { result: TokenResult } | { error: unknown }) => void>();
  const scheduler = new Scheduler(
    decoder,
    {
      onPromptScored: (id, scores) => {
        expect(seen.get(id)!.tokens).toEqual([]); // before any token
        seen.get(id)!.prompt = scores;
      },
      onToken: (id, token, logprob) => seen.get(id)!.tokens.push(logprob ? { id: token, logprob } : { id: token }),
      onDone: (id, result) => settle.get(id)!({ result: { ...result, tokenIds: [...result.tokenIds] } }),
      onError: (id, error) => settle.get(id)!({ error }),
    },
    { maxBatchSize: 8 },
  );
  open.push(scheduler);
  let nextId = 1;
  return {
    decoder,
    submit(request: Partial<PlainTokenRequest> & { promptIds: number[] }): Seen {
      const id = nextId++;
      const entry: Seen = { tokens: [], outcome: new Promise((resolve) => settle.set(id, resolve)) };
      seen.set(id, entry);
      scheduler.submit(id, { maxNewTokens: 5, sampling: GREEDY, stopTokenIds: [], ...request });
      return entry;
    },
  };
}

/** The tokens one request gets alone and each one's score from the unprocessed logits. */
function reference(promptIds: number[], maxNewTokens: number, sampling: SamplingParams, k: number) {
  const sampler = createSampler(sampling);
  const history = [...promptIds];
  const out: { id: number; logprob: TokenLogprob }[] = [];
  for (let i = 0; i < maxNewTokens; i++) {
    const logits = fakeLogits(history, 50);
    const score = (id: number) => scoreToken(fakeLogits(history, 50), id, k);
    const id = sampler.next(logits, history);
    out.push({ id, logprob: score(id) });
    history.push(id);
  }
  return out;
}

describe('Scheduler: log-probabilities', () => {
  it('scores each token from the model\'s logits before temperature, penalty, top-k and top-p touch them', async () => {
    const run = start();
    const seen = run.submit({ promptIds: [3, 4, 5], sampling: SHAPED, logprobs: 3 });
    await seen.outcome;
    expect(seen.tokens).toEqual(reference([3, 4, 5], 5, SHAPED, 3));
    expect(seen.tokens.every((t) => t.logprob!.top.length === 3)).toBe(true);
  });

  it('gives the same scores to a request batched with others as alone, and none to those that did not ask', async () => {
    const run = start();
    const others = [run.submit({ promptIds: [7] }), run.submit({ promptIds: [8, 9, 10, 11] })];
    const asking = run.submit({ promptIds: [3, 4, 5], logprobs: 0 });
    await Promise.all([asking.outcome, ...others.map((o) => o.outcome)]);
    expect(run.decoder.calls.find((c) => c.op === 'prefill')!.rows).toHaveLength(3); // one batched prefill
    expect(asking.tokens).toEqual(reference([3, 4, 5], 5, GREEDY, 0));
    for (const other of others) expect(other.tokens.every((t) => t.logprob === undefined)).toBe(true);
  });

  it('scores a prompt in a prefill of its own, entry t for prompt token t + 1, before its first token', async () => {
    const run = start();
    const other = run.submit({ promptIds: [7, 8] });
    const scored = run.submit({ promptIds: [3, 4, 5, 6], scorePrompt: true, logprobs: 2 });
    const after = run.submit({ promptIds: [9] });
    await Promise.all([other.outcome, scored.outcome, after.outcome]);
    const prefills = run.decoder.calls.filter((c) => c.op === 'prefill');
    expect(prefills.map((c) => [c.rows.length, c.scorePrompt === true])).toEqual([
      [1, false],
      [1, true],
      [1, false],
    ]);
    const prompt = [3, 4, 5, 6];
    expect(scored.prompt).toEqual(prompt.slice(1).map((id, t) => scoreToken(fakeLogits(prompt.slice(0, t + 1), 50), id, 2)));
    expect(scored.tokens).toEqual(reference(prompt, 5, GREEDY, 2));
  });

  it('scores a prompt without generating when no new tokens are asked for', async () => {
    const run = start();
    const scored = run.submit({ promptIds: [3, 4, 5], scorePrompt: true, maxNewTokens: 0 });
    expect(await scored.outcome).toEqual({ result: { tokenIds: [], finishReason: 'length' } });
    expect(scored.prompt).toHaveLength(2);
    expect(scored.tokens).toEqual([]);
    expect(run.decoder.calls.map((c) => c.op)).toEqual(['prefill']);
  });

  it('refuses logprobs outside 0..5 and prompt scoring on a graph that cannot, without calling the decoder', async () => {
    const run = start({ canScorePrompt: false });
    for (const request of [{ logprobs: 6 }, { logprobs: -1 }, { logprobs: 1.5 }, { scorePrompt: true }]) {
      const outcome = await run.submit({ promptIds: [1], ...request }).outcome;
      expect((outcome as { error: unknown }).error).toBeInstanceOf(InvalidTokenRequestError);
    }
    expect(run.decoder.calls).toEqual([]);
  });

  it('does not score a prompt again when a failed step re-runs its sequence alone', async () => {
    let failures = 1;
    const run = start({
      onCall: (call) => {
        if (call.op === 'step' && call.rows.length === 2 && failures-- > 0) throw new Error('step failed');
      },
    });
    const plain = run.submit({ promptIds: [7, 8] });
    const scored = run.submit({ promptIds: [3, 4, 5], scorePrompt: true, logprobs: 1 });
    expect(await plain.outcome).toHaveProperty('result');
    expect(await scored.outcome).toHaveProperty('result');
    expect(run.decoder.calls.filter((c) => c.op === 'prefill').map((c) => c.scorePrompt === true)).toEqual([false, true, false, false]);
    expect(scored.prompt).toHaveLength(2); // onPromptScored also checks it came before every token
    expect(scored.tokens).toEqual(reference([3, 4, 5], 5, GREEDY, 1));
  });
});
