import { describe, expect, it } from 'vitest';
import { buildGpt2Tokenizer } from '@mimicbot/training';
import type { Engine, TokenRequest, TokenResult } from '../engine/types.js';
import { createTextTokenizer } from '@mimicbot/model-format';
import { inThreadEncoder } from '../text/prompt-encoder.js';
import { generateText } from './generate-text.js';
import { runCompletions } from './completions.js';
import { runGpt2CloudRun } from './gpt2-cloud-run.js';
import { FieldError } from './errors.js';

const tokenizer = createTextTokenizer(buildGpt2Tokenizer());
const encoder = inThreadEncoder(tokenizer);
const greedy = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
const limits = { maxPromptTokens: 64, contextLength: 128 };

/**
 * A deterministic stand-in for the model, for the pure text layer only (the HTTP tests use the real
 * engine): it "generates" the tokens of a fixed continuation, one per step, honouring the engine contract
 * (stop tokens end it unemitted, abort ends it at the next step).
 */
function scriptedEngine(continuations: string[]): Engine & { requests: TokenRequest[] } {
  const requests: TokenRequest[] = [];
  let call = 0;
  return {
    requests,
    async generate(request): Promise<TokenResult> {
      requests.push(request);
      const script = tokenizer.encode(continuations[Math.min(call++, continuations.length - 1)]);
      const tokenIds: number[] = [];
      for (const id of script) {
        await new Promise((resolve) => setImmediate(resolve));
        if (request.signal?.aborted) return { tokenIds, finishReason: 'aborted' };
        if (request.stopTokenIds.includes(id)) return { tokenIds, finishReason: 'stop' };
        if (tokenIds.length === request.maxNewTokens) return { tokenIds, finishReason: 'length' };
        tokenIds.push(id);
        request.onToken?.(id);
      }
      return { tokenIds, finishReason: 'length' };
    },
    stats: () => ({ queueDepth: 0, activeSequences: 0 }),
    close: async () => {},
  };
}

describe('generateText', () => {
  it('streams whole characters and returns the same text it streamed', async () => {
    const engine = scriptedEngine([' 🦀 crabs rule']);
    const deltas: string[] = [];
    const result = await generateText(
      { engine, tokenizer },
      { promptIds: [1], maxNewTokens: 50, sampling: greedy, stop: [], onText: (d) => deltas.push(d) },
    );
    expect(result.text).toBe(' 🦀 crabs rule');
    expect(deltas.join('')).toBe(result.text);
    for (const delta of deltas) expect(delta).not.toContain('\uFFFD');
    expect(result.finishReason).toBe('length');
  });

  it('ends at EOS with finish reason stop and never shows <|endoftext|>', async () => {
    const engine = scriptedEngine(['hello<|endoftext|> never']);
    const result = await generateText({ engine, tokenizer }, { promptIds: [1], maxNewTokens: 50, sampling: greedy, stop: [] });
    expect(result).toEqual({ text: 'hello', finishReason: 'stop', completionTokens: 1 });
    expect(engine.requests[0].stopTokenIds).toEqual([50256]);
  });

  it('cuts at a stop sequence split across tokens, streams none of it, and aborts the engine', async () => {
    const engine = scriptedEngine(['one\n\ntwo three four five']);
    const deltas: string[] = [];
    const result = await generateText(
      { engine, tokenizer },
      { promptIds: [1], maxNewTokens: 50, sampling: greedy, stop: ['\n\n'], onText: (d) => deltas.push(d) },
    );
    expect(result.text).toBe('one');
    expect(deltas.join('')).toBe('one');
    expect(result.finishReason).toBe('stop');
    expect(engine.requests[0].signal?.aborted).toBe(true);
  });

  it('rejects with the reason when the caller aborts', async () => {
    const engine = scriptedEngine(['a b c d e f g']);
    const controller = new AbortController();
    const promise = generateText(
      { engine, tokenizer },
      { promptIds: [1], maxNewTokens: 50, sampling: greedy, stop: [], signal: controller.signal, onText: () => controller.abort(new Error('gone')) },
    );
    await expect(promise).rejects.toThrow('gone');
  });
});

describe('runCompletions', () => {
  it('runs every prompt n times with seeds seed + j and counts usage', async () => {
    const engine = scriptedEngine(['x']);
    const outcome = await runCompletions(
      { engine, tokenizer, encoder, limits },
      { prompts: ['a b', [15496]], n: 2, maxNewTokens: 5, pastContext: 'refuse', sampling: { ...greedy, seed: 7 }, stop: [] },
    );
    expect(outcome.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(engine.requests.map((r) => r.sampling.seed)).toEqual([7, 8, 7, 8]);
    expect(outcome.promptTokens).toBe((2 + 1) * 2);
    expect(outcome.completionTokens).toBe(4);
  });

  it('starts an empty prompt from BOS and refuses prompts over the limit naming the field', async () => {
    const engine = scriptedEngine(['x']);
    await runCompletions({ engine, tokenizer, encoder, limits }, { prompts: [''], n: 1, maxNewTokens: 1, pastContext: 'refuse', sampling: greedy, stop: [] });
    expect(engine.requests[0].promptIds).toEqual([50256]);
    const long = 'word '.repeat(100);
    await expect(
      runCompletions({ engine, tokenizer, encoder, limits }, { prompts: ['ok', long], n: 1, maxNewTokens: 1, pastContext: 'refuse', sampling: greedy, stop: [] }),
    ).rejects.toThrow(FieldError);
    await expect(
      runCompletions({ engine, tokenizer, encoder, limits }, { prompts: ['ok', long], n: 1, maxNewTokens: 1, pastContext: 'refuse', sampling: greedy, stop: [] }),
    ).rejects.toThrow(/^prompt\[1\]: is \d+ tokens long; the limit is 64 \(MAX_PROMPT_TOKENS\)$/);
    await expect(
      runCompletions({ engine, tokenizer, encoder, limits }, { prompts: ['hi'], n: 1, maxNewTokens: 128, pastContext: 'refuse', sampling: greedy, stop: [] }),
    ).rejects.toThrow(/^max_tokens: /);
    await expect(
      runCompletions({ engine, tokenizer, encoder, limits }, { prompts: [[99999]], n: 1, maxNewTokens: 1, pastContext: 'refuse', sampling: greedy, stop: [] }),
    ).rejects.toThrow(/^prompt: token id 99999/);
  });
});

describe('runCompletions without max_tokens', () => {
  it('fits its default to the room each prompt leaves, and says finish_reason length', async () => {
    const engine = scriptedEngine(['word '.repeat(200)]);
    const small = { maxPromptTokens: 64, contextLength: 20 };
    const outcome = await runCompletions(
      { engine, tokenizer, encoder, limits: small },
      { prompts: ['one', 'one two three four five six seven'], n: 1, maxNewTokens: 16, pastContext: 'clamp', sampling: greedy, stop: [] },
    );
    expect(engine.requests.map((r) => r.maxNewTokens)).toEqual([16, 20 - 7]);
    expect(outcome.choices.map((c) => c.finishReason)).toEqual(['length', 'length']);
  });
});

describe('runGpt2CloudRun', () => {
  it('clamps length to the room the prompt leaves in the context, as gpt-2-simple does', async () => {
    const engine = scriptedEngine(['x']);
    await runGpt2CloudRun(
      { engine, tokenizer, encoder, limits: { maxPromptTokens: 64, contextLength: 256 } },
      { prompt: 'I think', count: 1, maxNewTokens: 256, sampling: greedy, includePrefix: true },
    );
    expect(engine.requests[0].maxNewTokens).toBe(256 - 2);
  });

  it('stops at truncate, keeps or drops the prefix, and draws count samples', async () => {
    const engine = scriptedEngine([' cats rule<|endoftext|>']);
    const deps = { engine, tokenizer, encoder, limits };
    const base = { prompt: 'I think', count: 2, maxNewTokens: 20, sampling: greedy, truncate: '<|endoftext|>' };
    expect((await runGpt2CloudRun(deps, { ...base, includePrefix: true })).texts).toEqual(['I think cats rule', 'I think cats rule']);
    expect((await runGpt2CloudRun(deps, { ...base, includePrefix: false })).texts).toEqual([' cats rule', ' cats rule']);
  });

  it('retries an empty sample, a bounded number of times', async () => {
    const engine = scriptedEngine(['\n<|endoftext|>', '\n\n', 'finally']);
    const outcome = await runGpt2CloudRun(
      { engine, tokenizer, encoder, limits },
      { prompt: '', count: 1, maxNewTokens: 20, sampling: { ...greedy, seed: 3 }, includePrefix: true },
    );
    expect(outcome.texts).toEqual(['finally']);
    expect(engine.requests.map((r) => r.sampling.seed)).toEqual([3, 4, 5]);

    const alwaysEmpty = scriptedEngine(['<|endoftext|>']);
    const empty = await runGpt2CloudRun(
      { engine: alwaysEmpty, tokenizer, encoder, limits },
      { prompt: 'p', count: 1, maxNewTokens: 20, sampling: greedy, includePrefix: true },
    );
    expect(empty.texts).toEqual(['p']);
    expect(alwaysEmpty.requests).toHaveLength(3);
  });
});
