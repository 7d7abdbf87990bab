import { describe, expect, it } from 'vitest';
import { createOutputFilter, createReplyLoop, DEFAULT_GATE, ModelRejectedError, ModelUnavailableError, replySteps } from '@mimicbot/functions-shared';
import { scriptedModel } from '@mimicbot/functions-shared/testing';
import { APOLOGIES, composeReply, escapeSlackText, italicPrompt, slackSteps } from './compose-reply.js';

function compose(prompt: string, answers: (string | Error)[], includePrompt = true) {
  const scripted = scriptedModel(answers.map((a) => (a instanceof Error ? a : [a])));
  const logs: string[] = [];
  const replies = createReplyLoop({
    model: scripted.model,
    generation: { maxTokens: 20, temperature: 0.9, topP: 0.95 },
    steps: replySteps(createOutputFilter({ words: ['badword'] }), DEFAULT_GATE, slackSteps(includePrompt)),
    maxDraws: 3,
  });
  const composed = composeReply(prompt, { replies, log: (event, fields) => void logs.push(JSON.stringify({ event, ...fields })) });
  // What made a generated reply is pinned in its own test below; the others compare the text alone.
  const reply = composed.then((r) => (r.kind === 'generated' ? { kind: r.kind, text: r.text } : r));
  return { reply, composed, prompts: () => scripted.requests.map((r) => r.prompt), logs };
}

describe('composeReply', () => {
  it('says what made a generated reply: its seed and the settings it was drawn with', async () => {
    const run = compose('cats', [' are the best']);
    expect(await run.composed).toMatchObject({ kind: 'generated', source: { settings: { maxTokens: 20, temperature: 0.9, topP: 0.95 }, seed: expect.any(Number) } });
  });

  it("puts the prompt in italics, then the model's words, joined as the model began", async () => {
    expect(await compose('cats', [' are the best <|endoftext|>ignored']).reply).toEqual({ kind: 'generated', text: '_cats_ are the best' });
    expect(await compose('tell me a secret', [', she said. Never.']).reply).toEqual({ kind: 'generated', text: '_tell me a secret_, she said. Never.' });
    expect(await compose('cats', ['\n\nDogs are better.']).reply).toEqual({ kind: 'generated', text: '_cats_\nDogs are better.' });
    expect(await compose('cats', [' purr loudly\n'], false).reply).toEqual({ kind: 'generated', text: 'purr loudly' });
    expect(await compose('', [' purr loudly']).reply).toEqual({ kind: 'generated', text: 'purr loudly' });
  });

  it('never glues the reply onto the prompt (issue 11: "tell me a secrettempt friends.")', async () => {
    const run = compose('tell me a secret', ['tempt friends.', 'tempt friends.', ' about the moon.']);
    expect(await run.reply).toEqual({ kind: 'generated', text: '_tell me a secret_ about the moon.' });
    expect(run.logs[0]).toContain('"glued":2');
  });

  it('shows a prompt Slack could not italicize as it is', () => {
    expect(italicPrompt('snake_case names')).toBe('snake_case names');
    expect(italicPrompt('a *bold* start')).toBe('a *bold* start');
    expect(italicPrompt('plain words')).toBe('_plain words_');
  });

  it('tries again when the model says nothing or something filtered', async () => {
    const run = compose('so', ['<|endoftext|>', ' badword!', ' fine then']);
    expect(await run.reply).toEqual({ kind: 'generated', text: '_so_ fine then' });
    expect(run.prompts()).toEqual(['so', 'so', 'so']);
  });

  it('apologises honestly when every try was filtered, empty, or turned down by the gate, logging counts and never the text', async () => {
    const filtered = compose('x', [' badword here', ' badword here', ' badword here']);
    expect(await filtered.reply).toMatchObject({ reason: 'filtered', text: APOLOGIES.filtered });
    expect(filtered.logs).toEqual([JSON.stringify({ event: 'reply_decision', status: 'nothing_passed', draws: 3, drafts: 3, rejected: { filtered: 3 } })]);
    expect(await compose('x', ['', ' ', '<|endoftext|>']).reply).toMatchObject({ reason: 'empty' });
    const gated = compose('x', [' ommbommmmmmm ck', ' ?!', ' <|endoftext|>']);
    expect(await gated.reply).toMatchObject({ reason: 'gated', text: APOLOGIES.gated });
    expect(gated.logs.join('')).not.toContain('ommb');
  });

  it('apologises briefly when the model server is down or refuses', async () => {
    const down = new ModelUnavailableError('connect ECONNREFUSED', { attempts: 4 });
    expect(await compose('x', [down]).reply).toEqual({ kind: 'apology', reason: 'model_unavailable', text: APOLOGIES.model_unavailable });
    const refused = new ModelRejectedError('prompt is too long', { status: 400, param: 'prompt' });
    expect((await compose('x', [refused]).reply).text).toMatch(/prompt is too long/);
  });

  it('escapes generated text so it cannot ping the channel, and strips bidirectional overrides', async () => {
    expect(await compose('hey', [' <!channel> & co']).reply).toEqual({ kind: 'generated', text: '_hey_ &lt;!channel&gt; &amp; co' });
    expect(await compose('hey', [' \u202Etxt.exe is here']).reply).toEqual({ kind: 'generated', text: '_hey_ txt.exe is here' });
    expect(escapeSlackText('<@U1>')).toBe('&lt;@U1&gt;');
  });
});
