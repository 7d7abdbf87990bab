import { describe, expect, it } from 'vitest';
import { createOutputFilter, ModelRejectedError, ModelUnavailableError, type Completion, type ModelClient } from '@mimicbot/functions-shared';
import { APOLOGIES, composeReply, escapeSlackText } from './compose-reply.js';

/** A model client that answers from a script, recording the prompts it got. */
function scriptedModel(answers: (string | Error)[]): ModelClient & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    prompts,
    async complete(request): Promise<Completion> {
      prompts.push(request.prompt);
      const next = answers.shift();
      if (next === undefined) throw new Error('script exhausted');
      if (next instanceof Error) throw next;
      return { text: next, choices: [{ text: next, finishReason: 'stop' }] };
    },
    stream() {
      throw new Error('not used');
    },
  };
}

const deps = (model: ModelClient, includePrompt = true) => ({
  model,
  filter: createOutputFilter({ words: ['badword'] }),
  generation: { maxTokens: 20, temperature: 0.9, topP: 0.95 },
  includePrompt,
});

describe('composeReply', () => {
  it('continues the prompt and cleans the text', async () => {
    const model = scriptedModel([' are the best <|endoftext|>ignored']);
    expect(await composeReply('cats', deps(model))).toEqual({ kind: 'generated', text: 'cats are the best' });
    expect(await composeReply('cats', deps(scriptedModel([' purr\n']), false))).toEqual({ kind: 'generated', text: 'purr' });
  });

  it('tries again when the model says nothing or something filtered', async () => {
    const model = scriptedModel(['<|endoftext|>', ' badword!', ' fine']);
    expect(await composeReply('so', deps(model))).toEqual({ kind: 'generated', text: 'so fine' });
    expect(model.prompts).toEqual(['so', 'so', 'so']);
  });

  it('apologises when every try was filtered or empty', async () => {
    expect(await composeReply('x', deps(scriptedModel([' badword', ' badword', ' badword'])))).toMatchObject({ reason: 'filtered', text: APOLOGIES.filtered });
    expect(await composeReply('x', deps(scriptedModel(['', ' ', '<|endoftext|>'])))).toMatchObject({ reason: 'empty' });
  });

  it('apologises briefly when the model server is down or refuses', async () => {
    const down = new ModelUnavailableError('connect ECONNREFUSED', { attempts: 4 });
    expect(await composeReply('x', deps(scriptedModel([down])))).toEqual({ kind: 'apology', reason: 'model_unavailable', text: APOLOGIES.model_unavailable });
    const refused = new ModelRejectedError('prompt is too long', { status: 400, param: 'prompt' });
    expect((await composeReply('x', deps(scriptedModel([refused])))).text).toMatch(/prompt is too long/);
  });

  it('escapes generated text so it cannot ping the channel', async () => {
    expect(await composeReply('hey', deps(scriptedModel([' <!channel> & co'])))).toEqual({ kind: 'generated', text: 'hey &lt;!channel&gt; &amp; co' });
    expect(escapeSlackText('<@U1>')).toBe('&lt;@U1&gt;');
  });
});
