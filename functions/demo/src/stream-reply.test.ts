import { blockFiltered, createOutputFilter, DEFAULT_GATE, replySteps, streamingChecks, type StreamDelta } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { streamReply, type StreamEvent } from './stream-reply.js';

const filter = createOutputFilter({ words: ['badword'] });
const steps = replySteps(filter, DEFAULT_GATE);
const checks = [...streamingChecks(DEFAULT_GATE), blockFiltered(filter)];

/** Each draw streams the next script entry word by word; `ended` counts draws whose stream was closed. */
function drafts(script: { text: string; finishReason?: string }[]) {
  let ended = 0;
  let drawn = 0;
  const draw = () =>
    (async function* (): AsyncGenerator<StreamDelta> {
      const next = script[drawn++];
      try {
        for (const piece of next.text.match(/\s*\S+\s*/g) ?? []) yield { text: piece, finishReason: null };
        yield { text: '', finishReason: next.finishReason ?? 'stop' };
      } finally {
        ended++;
      }
    })();
  return { draw, ended: () => ended, drawn: () => drawn };
}

async function collect(prompt: string, script: { text: string; finishReason?: string }[], maxDraws = 3) {
  const model = drafts(script);
  const events: StreamEvent[] = [];
  for await (const event of streamReply({ prompt, draw: model.draw, steps, streamingChecks: checks, maxDraws })) events.push(event);
  return { events, model };
}

/** The deltas and resets, in order. The last sentence waits for `done`: it may be unfinished. */
const deltas = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'delta' ? [e.text] : e.type === 'reset' ? ['|reset|'] : []));

describe('streamReply', () => {
  it('streams sentences, the first after the separator, and ends with the gated text joined to the prompt', async () => {
    const { events } = await collect('The best thing about Mondays', [{ text: ' is the coffee. And then' }]);
    expect(deltas(events)).toEqual([' is the coffee.']);
    expect(events.at(-1)).toEqual({
      type: 'done',
      prompt: 'The best thing about Mondays',
      text: 'is the coffee. And then',
      joined: 'The best thing about Mondays is the coffee. And then',
      draws: 1,
      rejected: {},
    });
  });

  it('ends a draft cut at the token limit with the text cut back to its last sentence, having shown nothing after it', async () => {
    const { events } = await collect('', [{ text: ' Q: A women a contaition is it not is think one. <etor> Let o', finishReason: 'length' }]);
    expect(deltas(events)).toEqual(['Q: A women a contaition is it not is think one.']);
    expect(events.at(-1)).toMatchObject({ type: 'done', text: 'Q: A women a contaition is it not is think one.', joined: 'Q: A women a contaition is it not is think one.' });
  });

  it("never sends a word of issue 11's degenerate drafts: it stops before it, resets, and draws again", async () => {
    const { events, model } = await collect('', [
      { text: ' It went fine. …ch was wililit ck ommbommmmmmm. And more.' },
      { text: ' …ferierieierierier…rrrrrrierrr…ttttttt' },
      { text: ' A good line. At last.' },
    ]);
    const sent = deltas(events).join('');
    expect(sent).not.toMatch(/mmmmm|ierierier|rrrrr|ttttt/);
    expect(deltas(events)).toEqual(['It went fine.', '|reset|', 'A good line.']);
    expect(events.at(-1)).toMatchObject({ type: 'done', text: 'A good line. At last.', draws: 3, rejected: { repeated_character: 2 } });
    // Each abandoned draw's stream was closed (the client then ends the request).
    expect(model.ended()).toBe(3);
  });

  it('turns down a draft glued onto the prompt before any of it is shown', async () => {
    const { events } = await collect('tell me a secret', [{ text: 'tempt friends. Yes.' }, { text: ' about the moon.' }]);
    expect(deltas(events)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'done', joined: 'tell me a secret about the moon.', rejected: { glued: 1 } });
  });

  it('judges the whole draft at the end, so what only the end can tell (an echo) resets a shown draft', async () => {
    const { events } = await collect('tell me a secret', [{ text: ' tell me. A' }, { text: ' Yow!' }, { text: ' Are we? Having fun yet?' }]);
    // A draft of one sentence is never shown before its end, where this one is too short.
    expect(deltas(events)).toEqual([' tell me.', '|reset|', ' Are we?']);
    expect(events.at(-1)).toMatchObject({ type: 'done', text: 'Are we? Having fun yet?', rejected: { echo: 1, too_short: 1 } });
  });

  it('says nothing passed after maxDraws, with the reasons', async () => {
    const { events, model } = await collect('', [{ text: ' a badword here' }, { text: ' ?!' }, { text: ' never drawn' }], 2);
    expect(events.at(-1)).toEqual({ type: 'nothing', draws: 2, rejected: { filtered: 1, no_words: 1 } });
    expect(model.drawn()).toBe(2);
  });
});
