import { afterEach, describe, expect, it } from 'vitest';
import { FakeBatchDecoder, fakeLogits, type DecoderCall, type FakeDecoderOptions } from '../../testing/index.js';
import { EngineClosedError, InvalidTokenRequestError } from './errors.js';
import { InvalidSamplingParamsError, createSampler } from '@mimicbot/model-format/sampling';
import { MAX_SOLO_RERUNS, PREFILL_TOKEN_BUDGET, Scheduler, type PlainTokenRequest } from './scheduler.js';
import type { SamplingParams, TokenResult } from './types.js';

const GREEDY: SamplingParams = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
const SEEDED: SamplingParams = { temperature: 1, topK: 0, topP: 0.9, repetitionPenalty: 1.3, seed: 42 };

type Outcome = { result: TokenResult } | { error: unknown };

interface Run {
  scheduler: Scheduler;
  decoder: FakeBatchDecoder;
  /** Submits a request; `onToken(count)` runs after each streamed token. */
  generate(request: Partial<PlainTokenRequest> & { promptIds: number[] }, onToken?: (count: number, id: number) => void): { id: number; outcome: Promise<Outcome> };
  streamed: Map<number, number[]>;
  started: number[];
  /** Every onDone/onError, in order: each id must appear exactly once. */
  ended: number[];
}

let open: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

function start(options: { decoder?: FakeDecoderOptions; maxBatchSize?: number; decoderInstance?: FakeBatchDecoder } = {}): Run {
  const decoder = options.decoderInstance ?? new FakeBatchDecoder(options.decoder);
  const settle = new Map<number, (o: Outcome) => void>();
  const hooks = new Map<number, (count: number, id: number) => void>();
  const streamed = new Map<number, number[]>();
  const started: number[] = [];
  const ended: number[] = [];
  const scheduler = new Scheduler(
    decoder,
    {
      onStart: (id) => started.push(id),
      onToken: (id, token) => {
        const tokens = streamed.get(id)!;
        tokens.push(token);
        hooks.get(id)?.(tokens.length, id);
      },
      onDone: (id, result) => {
        ended.push(id);
        settle.get(id)!({ result: { ...result, tokenIds: [...result.tokenIds] } });
      },
      onError: (id, error) => {
        ended.push(id);
        settle.get(id)!({ error });
      },
    },
    { maxBatchSize: options.maxBatchSize ?? 16 },
  );
  open.push(scheduler);
  let nextId = 1;
  return {
    scheduler,
    decoder,
    streamed,
    started,
    ended,
    generate(request, onToken) {
      const id = nextId++;
      streamed.set(id, []);
      if (onToken) hooks.set(id, onToken);
      const outcome = new Promise<Outcome>((resolve) => settle.set(id, resolve));
      scheduler.submit(id, { maxNewTokens: 8, sampling: GREEDY, stopTokenIds: [], ...request });
      return { id, outcome };
    },
  };
}

/** What one request gets alone, straight from the fake's logits: no scheduler, no batch. */
function reference(promptIds: readonly number[], maxNewTokens: number, options: { sampling?: SamplingParams; stop?: number[]; nPositions?: number; vocabSize?: number } = {}): TokenResult {
  const sampler = createSampler(options.sampling ?? GREEDY);
  const history = [...promptIds];
  const tokenIds: number[] = [];
  while (tokenIds.length < maxNewTokens && history.length < (options.nPositions ?? 64)) {
    const token = sampler.next(fakeLogits(history, options.vocabSize ?? 50), history);
    if (options.stop?.includes(token)) return { tokenIds, finishReason: 'stop' };
    tokenIds.push(token);
    history.push(token);
  }
  return { tokenIds, finishReason: 'length' };
}

const done = (result: TokenResult): Outcome => ({ result });
const ops = (calls: DecoderCall[]) => calls.map((c) => c.op);
const rowsOf = (calls: DecoderCall[], op: DecoderCall['op']) => calls.filter((c) => c.op === op).map((c) => c.rows.length);
/** Whether any call of these ops fed a row that starts with this prompt. */
const fed = (calls: DecoderCall[], prompt: number[], op?: DecoderCall['op']) =>
  calls.some((c) => (!op || c.op === op) && c.rows.some((r) => prompt.every((t, i) => r[i] === t)));

const P = [[1, 2, 3], [4], [5, 6, 7, 8, 9], [10, 11], [12, 14, 15, 16], [17, 18, 19]];

describe('Scheduler: batching', () => {
  it('prefills requests that arrive together in one run and gives each its solo tokens', async () => {
    const run = start();
    const outcomes = P.slice(0, 3).map((promptIds, i) => run.generate({ promptIds, maxNewTokens: 5 + i }).outcome);
    expect(await Promise.all(outcomes)).toEqual(P.slice(0, 3).map((p, i) => done(reference(p, 5 + i))));
    expect(run.decoder.calls[0]).toEqual({ op: 'prefill', rows: P.slice(0, 3) });
    expect(rowsOf(run.decoder.calls, 'prefill')).toEqual([3]);
    expect(run.started).toEqual([1, 2, 3]);
    for (const [id, tokens] of run.streamed) expect(tokens).toEqual(reference(P[id - 1], 4 + id).tokenIds);
  });

  it('lets a request join a running batch and others leave it, re-packing the cache only when the rows change', async () => {
    const run = start();
    let late: Promise<Outcome> | undefined;
    const a = run.generate({ promptIds: P[0], maxNewTokens: 8 }, (count) => {
      if (count === 4) late = run.generate({ promptIds: P[2], maxNewTokens: 5 }).outcome;
    });
    const b = run.generate({ promptIds: P[1], maxNewTokens: 3 });
    expect(await a.outcome).toEqual(done(reference(P[0], 8)));
    expect(await b.outcome).toEqual(done(reference(P[1], 3)));
    expect(await late).toEqual(done(reference(P[2], 5)));
    const calls = run.decoder.calls;
    // A and B start together; B leaves after its 3rd token; C joins after A's 4th; A and C end on the same step.
    expect(ops(calls)).toEqual(['prefill', 'merge', 'step', 'step', 'merge', 'step', 'prefill', 'merge', 'step', 'step', 'step', 'step']);
    const merges = calls.filter((c) => c.op === 'merge');
    const aTokens = reference(P[0], 8).tokenIds;
    // The cache holds what was fed: a sequence's newest token is fed by the next step.
    expect(merges[0].rows).toEqual([P[0], P[1]]);
    expect(merges[1].rows).toEqual([[...P[0], ...aTokens.slice(0, 2)]]);
    expect(merges[2].rows).toEqual([[...P[0], ...aTokens.slice(0, 3)], P[2]]);
  });

  it('never decodes more than maxBatchSize sequences together and starts queued ones in order', async () => {
    const run = start({ maxBatchSize: 2 });
    const outcomes = P.slice(0, 5).map((promptIds, i) => run.generate({ promptIds, maxNewTokens: 3 + i }).outcome);
    expect(run.scheduler.stats()).toEqual({ queueDepth: 5, activeSequences: 0 });
    expect(await Promise.all(outcomes)).toEqual(P.slice(0, 5).map((p, i) => done(reference(p, 3 + i))));
    expect(Math.max(...run.decoder.calls.map((c) => c.rows.length))).toBe(2);
    expect(run.started).toEqual([1, 2, 3, 4, 5]);
    expect(run.scheduler.stats()).toEqual({ queueDepth: 0, activeSequences: 0 });
  });

  it('takes no more sequences together than the decoder can batch', async () => {
    const run = start({ decoder: { maxBatchSize: 1 } });
    expect(run.scheduler.maxBatchSize).toBe(1);
    const outcomes = P.slice(0, 3).map((promptIds) => run.generate({ promptIds, maxNewTokens: 4 }).outcome);
    expect(await Promise.all(outcomes)).toEqual(P.slice(0, 3).map((p) => done(reference(p, 4))));
    expect(run.decoder.calls.every((c) => c.rows.length === 1)).toBe(true);
  });

  it('gives a seeded request the same tokens alone and in a batch', async () => {
    const run = start();
    const outcomes = [
      run.generate({ promptIds: P[0], maxNewTokens: 12, sampling: SEEDED }).outcome,
      run.generate({ promptIds: P[3], maxNewTokens: 6, sampling: { ...SEEDED, seed: 7 } }).outcome,
    ];
    const alone = reference(P[0], 12, { sampling: SEEDED });
    expect(await Promise.all(outcomes)).toEqual([done(alone), done(reference(P[3], 6, { sampling: { ...SEEDED, seed: 7 } }))]);
    expect(alone.tokenIds).not.toEqual(reference(P[0], 12).tokenIds); // the draw is not just greedy
  });
});

describe('Scheduler: the prefill token budget', () => {
  const long = { nPositions: 8192 };

  it(`prefills waiting prompts together while their padded size stays within ${PREFILL_TOKEN_BUDGET} tokens`, async () => {
    const run = start({ decoder: long });
    const quarter = PREFILL_TOKEN_BUDGET / 4;
    const prompts = Array.from({ length: 5 }, (_, i) => Array.from({ length: quarter }, (_, t) => (t * 7 + i) % 49));
    const outcomes = prompts.map((promptIds) => run.generate({ promptIds, maxNewTokens: 2 }).outcome);
    expect(await Promise.all(outcomes)).toEqual(prompts.map((p) => done(reference(p, 2, long))));
    expect(rowsOf(run.decoder.calls, 'prefill')).toEqual([4, 1]);
  });

  it('counts every prompt at the length of the longest (padding is computed too)', async () => {
    const run = start({ decoder: long });
    const prompts = [new Array(PREFILL_TOKEN_BUDGET / 2 + 1).fill(3), [1, 2], [4, 5]];
    const outcomes = prompts.map((promptIds) => run.generate({ promptIds, maxNewTokens: 2 }).outcome);
    expect(await Promise.all(outcomes)).toEqual(prompts.map((p) => done(reference(p, 2, long))));
    expect(rowsOf(run.decoder.calls, 'prefill')).toEqual([1, 2]);
  });

  it('still prefills a single prompt longer than the budget, alone', async () => {
    const run = start({ decoder: long });
    const prompt = new Array(PREFILL_TOKEN_BUDGET + 100).fill(9);
    const outcomes = [run.generate({ promptIds: prompt, maxNewTokens: 2 }).outcome, run.generate({ promptIds: [1], maxNewTokens: 2 }).outcome];
    expect(await Promise.all(outcomes)).toEqual([done(reference(prompt, 2, long)), done(reference([1], 2, long))]);
    expect(rowsOf(run.decoder.calls, 'prefill')).toEqual([1, 1]);
  });
});

describe('Scheduler: aborts', () => {
  it('ends a queued request at once, without running it', async () => {
    const run = start({ maxBatchSize: 1 });
    const first = run.generate({ promptIds: P[0], maxNewTokens: 5 }, (count) => {
      if (count === 1) run.scheduler.abort(queued.id); // runs later, once `queued` is set
    });
    const queued = run.generate({ promptIds: P[4], maxNewTokens: 5 });
    expect(await queued.outcome).toEqual(done({ tokenIds: [], finishReason: 'aborted' }));
    expect(await first.outcome).toEqual(done(reference(P[0], 5)));
    expect(fed(run.decoder.calls, P[4])).toBe(false);
    expect(run.started).toEqual([first.id]);
  });

  it('ends a request aborted during its prefill with the one token the prefill gave, before it joins the batch', async () => {
    let victim = 0;
    const run = start({
      decoder: {
        onCall: (call) => {
          if (call.op === 'prefill' && victim) run.scheduler.abort(victim);
        },
      },
    });
    const other = run.generate({ promptIds: P[0], maxNewTokens: 6 });
    const aborted = run.generate({ promptIds: P[2], maxNewTokens: 6 });
    victim = aborted.id;
    expect(await aborted.outcome).toEqual(done({ tokenIds: reference(P[2], 1).tokenIds, finishReason: 'aborted' }));
    expect(await other.outcome).toEqual(done(reference(P[0], 6)));
    expect(fed(run.decoder.calls, P[2], 'merge') || fed(run.decoder.calls, P[2], 'step')).toBe(false);
  });

  it('lets a running request leave at the next step with the tokens it has, while the others go on', async () => {
    const run = start();
    const aborted = run.generate({ promptIds: P[1], maxNewTokens: 20 }, (count, id) => {
      if (count === 3) run.scheduler.abort(id);
    });
    const other = run.generate({ promptIds: P[3], maxNewTokens: 10 });
    expect(await aborted.outcome).toEqual(done({ tokenIds: reference(P[1], 3).tokenIds, finishReason: 'aborted' }));
    expect(await other.outcome).toEqual(done(reference(P[3], 10)));
    const afterLeaving = run.decoder.calls.filter((c) => c.op === 'merge')[1];
    expect(afterLeaving.rows.length).toBe(1);
  });

  it('ignores an abort for an id it does not know or has already ended', async () => {
    const run = start();
    const only = run.generate({ promptIds: P[0], maxNewTokens: 3 });
    run.scheduler.abort(999);
    expect(await only.outcome).toEqual(done(reference(P[0], 3)));
    run.scheduler.abort(only.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(run.ended).toEqual([only.id]);
  });
});

describe('Scheduler: how sequences end', () => {
  it('ends on a stop token without emitting it', async () => {
    const free = reference(P[4], 12).tokenIds;
    const stop = free[5];
    const run = start();
    const stopped = run.generate({ promptIds: P[4], maxNewTokens: 12, stopTokenIds: [stop] });
    expect(await stopped.outcome).toEqual(done({ tokenIds: free.slice(0, free.indexOf(stop)), finishReason: 'stop' }));
    expect(run.streamed.get(stopped.id)).not.toContain(stop);
  });

  it('ends a request whose first token is a stop token before it joins the batch', async () => {
    const run = start();
    const first = reference(P[0], 1).tokenIds[0];
    const stopped = run.generate({ promptIds: P[0], stopTokenIds: [first] });
    const other = run.generate({ promptIds: P[1], maxNewTokens: 3 });
    expect(await stopped.outcome).toEqual(done({ tokenIds: [], finishReason: 'stop' }));
    expect(await other.outcome).toEqual(done(reference(P[1], 3)));
    expect(fed(run.decoder.calls, P[0], 'merge')).toBe(false);
  });

  it('ends a sequence when prompt plus output fill the context, never feeding a position past it', async () => {
    const run = start({ decoder: { nPositions: 16 } });
    const prompt = new Array(10).fill(0).map((_, i) => i + 1);
    const outcome = await run.generate({ promptIds: prompt, maxNewTokens: 50 }).outcome;
    expect(outcome).toEqual(done({ tokenIds: reference(prompt, 50, { nPositions: 16 }).tokenIds, finishReason: 'length' }));
    expect((outcome as { result: TokenResult }).result.tokenIds.length).toBe(6);
    expect(Math.max(...run.decoder.calls.flatMap((c) => c.rows.map((r) => r.length)))).toBe(15);
    expect(await run.generate({ promptIds: new Array(15).fill(1), maxNewTokens: 5 }).outcome).toEqual(done({ tokenIds: reference(new Array(15).fill(1), 1, { nPositions: 16 }).tokenIds, finishReason: 'length' }));
  });

  it('refuses requests it cannot run, naming the field, without calling the decoder', async () => {
    const run = start({ decoder: { nPositions: 16 } });
    const errorOf = async (request: Partial<PlainTokenRequest> & { promptIds: number[] }) => ((await run.generate(request).outcome) as { error: Error }).error;
    expect(await errorOf({ promptIds: [] })).toMatchObject({ field: 'promptIds' });
    expect(await errorOf({ promptIds: new Array(16).fill(1) })).toMatchObject({ field: 'promptIds', message: expect.stringMatching(/context of 16/) });
    expect(await errorOf({ promptIds: [50] })).toMatchObject({ message: expect.stringMatching(/token id 50 is outside/) });
    expect(await errorOf({ promptIds: [1], maxNewTokens: -1 })).toBeInstanceOf(InvalidTokenRequestError);
    expect(await errorOf({ promptIds: [1], maxNewTokens: 1.5 })).toMatchObject({ field: 'maxNewTokens' });
    expect(await errorOf({ promptIds: [1], sampling: { ...GREEDY, topP: 2 } })).toBeInstanceOf(InvalidSamplingParamsError);
    expect(await run.generate({ promptIds: [1], maxNewTokens: 0 }).outcome).toEqual(done({ tokenIds: [], finishReason: 'length' }));
    expect(run.decoder.calls).toEqual([]);
  });

  it('close() finishes running and queued requests, then refuses new ones', async () => {
    const run = start({ maxBatchSize: 1 });
    const outcomes = P.slice(0, 3).map((promptIds) => run.generate({ promptIds, maxNewTokens: 4 }).outcome);
    await run.scheduler.close();
    expect(run.ended.length).toBe(3);
    expect(await Promise.all(outcomes)).toEqual(P.slice(0, 3).map((p) => done(reference(p, 4))));
    expect(((await run.generate({ promptIds: [1] }).outcome) as { error: unknown }).error).toBeInstanceOf(EngineClosedError);
  });
});

describe('Scheduler: failures', () => {
  const errorOf = (o: Outcome) => (o as { error: Error }).error;

  it('fails only the sequence a failed step belongs to; the rest of its batch goes on from its history', async () => {
    // config.json claims 1000 positions, the graph has 20: the long prompt runs out first.
    const run = start({ decoder: { nPositions: 1000, positionTable: 20 } });
    const longPrompt = Array.from({ length: 15 }, (_, i) => i + 20);
    const long = run.generate({ promptIds: longPrompt, maxNewTokens: 30 });
    const short = P.slice(0, 4).map((promptIds) => run.generate({ promptIds, maxNewTokens: 10 }));
    expect(errorOf(await long.outcome).message).toMatch(/position 20 is outside the position table/);
    expect(run.streamed.get(long.id)).toEqual(reference(longPrompt, 6).tokenIds); // up to position 20
    expect(await Promise.all(short.map((s) => s.outcome))).toEqual(P.slice(0, 4).map((p) => done(reference(p, 10))));
    const failed = run.decoder.calls.findIndex((c) => c.rows.some((r) => r.length > 20));
    expect(run.decoder.calls[failed].op).toBe('step');
    expect(run.decoder.calls.slice(failed + 1, failed + 6).map((c) => [c.op, c.rows.length])).toEqual(new Array(5).fill(['prefill', 1]));
  });

  it('fails only the request whose prompt makes a batched prefill fail', async () => {
    const poison = 13;
    const run = start({
      decoder: {
        onCall: (call) => {
          if (call.rows.some((r) => r.includes(poison))) throw new Error('this prompt breaks the model');
        },
      },
    });
    const prompts = [P[0], [2, poison, 4], P[1]];
    const outcomes = await Promise.all(prompts.map((promptIds) => run.generate({ promptIds, maxNewTokens: 5 }).outcome));
    expect(outcomes[0]).toEqual(done(reference(P[0], 5)));
    expect(errorOf(outcomes[1]).message).toBe('this prompt breaks the model');
    expect(outcomes[2]).toEqual(done(reference(P[1], 5)));
    expect(run.decoder.calls.slice(0, 4).map((c) => [c.op, c.rows.length])).toEqual([
      ['prefill', 3],
      ['prefill', 1],
      ['prefill', 1],
      ['prefill', 1],
    ]);
  });

  it('re-runs each row alone when a batched step fails as a whole, and nobody fails', async () => {
    let failures = 0;
    const run = start({
      decoder: {
        onCall: (call) => {
          if (call.op === 'step' && call.rows[0].length === P[0].length + 3) {
            failures++;
            throw new Error('out of memory');
          }
        },
      },
    });
    const requests = [
      run.generate({ promptIds: P[0], maxNewTokens: 9 }),
      run.generate({ promptIds: P[3], maxNewTokens: 7, sampling: SEEDED }),
      run.generate({ promptIds: P[5], maxNewTokens: 8 }),
    ];
    expect(await Promise.all(requests.map((r) => r.outcome))).toEqual([
      done(reference(P[0], 9)),
      done(reference(P[3], 7, { sampling: SEEDED })), // the re-run neither rewinds nor skips its random draws
      done(reference(P[5], 8)),
    ]);
    expect(failures).toBe(1);
    expect(rowsOf(run.decoder.calls, 'prefill')).toEqual([3, 1, 1, 1]);
    expect(rowsOf(run.decoder.calls, 'step').slice(0, 6)).toEqual([3, 3, 3, 3, 3, 3]); // the batch is whole again after the re-runs
  });

  it('re-runs each row alone when re-packing the cache fails', async () => {
    let merges = 0;
    const run = start({
      decoder: {
        onCall: (call) => {
          if (call.op === 'merge' && merges++ === 0) throw new RangeError('Array buffer allocation failed');
        },
      },
    });
    const outcomes = P.slice(0, 3).map((promptIds) => run.generate({ promptIds, maxNewTokens: 6 }).outcome);
    expect(await Promise.all(outcomes)).toEqual(P.slice(0, 3).map((p) => done(reference(p, 6))));
    expect(ops(run.decoder.calls).slice(0, 6)).toEqual(['prefill', 'merge', 'prefill', 'prefill', 'prefill', 'merge']);
  });

  it('ends each request once, with its error, when every run fails, and stops calling the model', async () => {
    const run = start({
      decoder: {
        onCall: () => {
          throw new Error('the model is broken');
        },
      },
    });
    const outcomes = await Promise.all(P.slice(0, 3).map((promptIds) => run.generate({ promptIds }).outcome));
    for (const o of outcomes) expect(errorOf(o).message).toBe('the model is broken');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(rowsOf(run.decoder.calls, 'prefill')).toEqual([3, 1, 1, 1]);
    expect(run.decoder.calls.length).toBe(4);
    expect([...run.ended].sort()).toEqual([1, 2, 3]);
    // A request that ran alone has failed alone: it is not run again.
    expect(errorOf(await run.generate({ promptIds: P[0] }).outcome).message).toBe('the model is broken');
    expect(run.decoder.calls.length).toBe(5);
  });

  it('fails a sequence whose step failed while it ran alone, without running it again', async () => {
    const run = start({ decoder: { nPositions: 1000, positionTable: 20 } });
    const longPrompt = Array.from({ length: 15 }, (_, i) => i + 20);
    expect(errorOf(await run.generate({ promptIds: longPrompt, maxNewTokens: 30 }).outcome).message).toMatch(/position 20 is outside/);
    expect(ops(run.decoder.calls)).toEqual(['prefill', 'merge', 'step', 'step', 'step', 'step', 'step', 'step']);
  });

  it('keeps to maxBatchSize while the rows of a failed step are re-run', async () => {
    let failed = false;
    const run = start({
      maxBatchSize: 2,
      decoder: {
        onCall: (call) => {
          if (call.op === 'step' && !failed) {
            failed = true;
            throw new Error('out of memory');
          }
        },
      },
    });
    const outcomes = P.slice(0, 3).map((promptIds) => run.generate({ promptIds, maxNewTokens: 6 }).outcome);
    expect(await Promise.all(outcomes)).toEqual(P.slice(0, 3).map((p) => done(reference(p, 6))));
    expect(Math.max(...run.decoder.calls.map((c) => c.rows.length))).toBe(2);
  });

  it(`re-runs a sequence alone at most ${MAX_SOLO_RERUNS} times, then fails it with the batch's error`, async () => {
    const run = start({
      decoder: {
        onCall: (call) => {
          if (call.op === 'step' && call.rows.length > 1) throw new Error('batched steps always fail');
        },
      },
    });
    const requests = [run.generate({ promptIds: P[0], maxNewTokens: 20 }), run.generate({ promptIds: P[1], maxNewTokens: 20 })];
    for (const r of requests) expect(errorOf(await r.outcome).message).toBe('batched steps always fail');
    // One token from the first prefill, one from each solo re-run; no batched step ever succeeded.
    expect(run.streamed.get(requests[0].id)).toEqual(reference(P[0], 1 + MAX_SOLO_RERUNS).tokenIds);
    expect(rowsOf(run.decoder.calls, 'prefill')).toEqual([2, ...new Array(2 * MAX_SOLO_RERUNS).fill(1)]);
    expect(rowsOf(run.decoder.calls, 'step')).toEqual(new Array(MAX_SOLO_RERUNS + 1).fill(2));
  });

  it('ends a request aborted while its failed batch is being re-run as aborted, not failed', async () => {
    let victim = 0;
    let failed = false;
    const run = start({
      decoder: {
        onCall: (call) => {
          if (call.op === 'step' && call.rows.length > 1 && !failed) {
            failed = true;
            run.scheduler.abort(victim);
            throw new Error('out of memory');
          }
        },
      },
    });
    const kept = run.generate({ promptIds: P[0], maxNewTokens: 6 });
    const aborted = run.generate({ promptIds: P[2], maxNewTokens: 6 });
    victim = aborted.id;
    expect(await aborted.outcome).toEqual(done({ tokenIds: reference(P[2], 1).tokenIds, finishReason: 'aborted' }));
    expect(await kept.outcome).toEqual(done(reference(P[0], 6)));
    expect(rowsOf(run.decoder.calls, 'prefill')).toEqual([2, 1]);
  });
});
