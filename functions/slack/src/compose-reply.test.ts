import { describe, expect, it } from 'vitest';
import { createOutputFilter, createReplyLoop, ModelRejectedError, ModelUnavailableError, replySteps } from '@mimicbot/functions-shared';
import { scriptedModel } from '@mimicbot/functions-shared/testing';
import { APOLOGIES, composeReply, escapeSlackText, slackSteps } from './compose-reply.js';

function compose(prompt: string, answers: (string | Error)[], includePrompt = true) {
  const scripted = scriptedModel(answers.map((a) => (a instanceof Error ? a : [a])));
  const logs: string[] = [];
  const replies = createReplyLoop({
    model: scripted.model,
    generation: { maxTokens: 20, temperature: 0.9, topP: 0.95 },
    steps: replySteps(createOutputFilter({ words: ['badword'] }), slackSteps(includePrompt)),
    maxDraws: 3,
  });
  const reply = composeReply(prompt, { replies, log: (event, fields) => void logs.push(JSON.stringify({ event, ...fields })) });
  return { reply, prompts: () => scripted.requests.map((r) => r.prompt), logs };
}

describe('composeReply', () => {
  it('continues the prompt and cleans the text', async () => {
    expect(await compose('cats', [' are the best <|endoftext|>ignored']).reply).toEqual({ kind: 'generated', text: 'cats are the best' });
    expect(await compose('cats', [' purr\n'], false).reply).toEqual({ kind: 'generated', text: 'purr' });
    expect(await compose('', [' purr']).reply).toEqual({ kind: 'generated', text: 'purr' });
  });

  it('tries again when the model says nothing or something filtered', async () => {
    const run = compose('so', ['<|endoftext|>', ' badword!', ' fine']);
    expect(await run.reply).toEqual({ kind: 'generated', text: 'so fine' });
    expect(run.prompts()).toEqual(['so', 'so', 'so']);
  });

  it('apologises when every try was filtered or empty, logging the counts and never the text', async () => {
    const filtered = compose('x', [' badword', ' badword', ' badword']);
    expect(await filtered.reply).toMatchObject({ reason: 'filtered', text: APOLOGIES.filtered });
    expect(filtered.logs).toEqual([JSON.stringify({ event: 'reply_decision', status: 'nothing_passed', draws: 3, rejected: { filtered: 3 } })]);
    expect(await compose('x', ['', ' ', '<|endoftext|>']).reply).toMatchObject({ reason: 'empty' });
  });

  it('apologises briefly when the model server is down or refuses', async () => {
    const down = new ModelUnavailableError('connect ECONNREFUSED', { attempts: 4 });
    expect(await compose('x', [down]).reply).toEqual({ kind: 'apology', reason: 'model_unavailable', text: APOLOGIES.model_unavailable });
    const refused = new ModelRejectedError('prompt is too long', { status: 400, param: 'prompt' });
    expect((await compose('x', [refused]).reply).text).toMatch(/prompt is too long/);
  });

  it('escapes generated text so it cannot ping the channel, and strips bidirectional overrides', async () => {
    expect(await compose('hey', [' <!channel> & co']).reply).toEqual({ kind: 'generated', text: 'hey &lt;!channel&gt; &amp; co' });
    expect(await compose('hey', [' \u202Etxt.exe']).reply).toEqual({ kind: 'generated', text: 'hey txt.exe' });
    expect(escapeSlackText('<@U1>')).toBe('&lt;@U1&gt;');
  });
});
