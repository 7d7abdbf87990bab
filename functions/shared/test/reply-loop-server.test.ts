/**
 * The reply loop as the functions build it (replyLoopFromConfig: the quality gate, GATE_CANDIDATES drafts a
 * draw, ranked by likelihood) against the real mimicbot server on a tiny random model.
 */
import { describe, expect, it } from 'vitest';
import { parseSharedConfig } from '../src/config.js';
import { modelClientFromConfig, replyLoopFromConfig } from '../src/from-config.js';
import { tinyModelServerForSuite } from '../src/testing/index.js';

const server = tinyModelServerForSuite();

describe('the reply loop against the mimicbot server', () => {
  it('asks for GATE_CANDIDATES drafts in one request, and answers with one that passed the gate', async () => {
    const before = server.completions();
    const config = parseSharedConfig({ MODEL_ENDPOINT: server.url, MAX_TOKENS: '12', GATE_CANDIDATES: '3', GATE_MIN_WORDS: '1' });
    const outcome = await replyLoopFromConfig(config, { maxDraws: 2 }).reply('The weather today');
    // Every draw is one request for three drafts, whether or not this server returns logprobs.
    expect(outcome.drafts).toBe(3 * outcome.draws);
    expect(server.completions() - before).toBeGreaterThanOrEqual(outcome.draws);
    if (outcome.status === 'chosen') {
      expect(outcome.text.length).toBeGreaterThan(0);
      expect(outcome.text).toBe(outcome.text.trim());
    }
  });

  it('reads log-probabilities that cover the text when the server gives them, and lists the model', async () => {
    const config = parseSharedConfig({ MODEL_ENDPOINT: server.url });
    const client = modelClientFromConfig(config);
    const result = await client.complete({ prompt: 'Once upon a time', maxTokens: 6, temperature: 1, n: 2, logprobs: 0, seed: 2 });
    expect(result.choices).toHaveLength(2);
    for (const choice of result.choices) if (choice.logprobs) expect(choice.logprobs.tokens.join('')).toBe(choice.text);
    const models = await client.models();
    expect(models).toHaveLength(1);
    expect(models[0].id).toBeTypeOf('string');
  });
});
