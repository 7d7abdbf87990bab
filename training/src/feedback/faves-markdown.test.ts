import { describe, expect, it } from 'vitest';
import type { ServedReply } from '@mimicbot/functions-shared/feedback';
import { favesMarkdown, sampleCommand, shellQuote } from './faves-markdown.js';
import { rankRated } from './rank-feedback.js';

const reply = (fields: Partial<ServedReply>): ServedReply => ({
  surface: 'slack',
  id: 'C1:1.1',
  model: 'mybot',
  prompt: "it's Monday",
  text: "_it's Monday_ and the cat\nknows",
  seed: 1234,
  settings: { maxTokens: 60, temperature: 0.9, topP: 0.95 },
  servedAt: Date.UTC(2026, 10, 29),
  ...fields,
});

describe('the faves list', () => {
  it('quotes each reply, gives its votes and score, and the command that draws it again', () => {
    const md = favesMarkdown(rankRated([{ reply: reply({}), up: 5, down: 0 }, { reply: reply({ id: 'C1:2.2', text: 'unseeded', seed: undefined }), up: 1, down: 0 }]), { rated: 7, exportedAt: Date.UTC(2026, 10, 30) });
    expect(md).toContain('on 2026-11-30: the 2 best liked of 7 rated replies');
    expect(md).toContain("## 1. 👍 5 · 👎 0 · score 0.57\n\n> _it's Monday_ and the cat\n> knows\n\nslack · model `mybot` · 2026-11-29 · seed 1234");
    expect(md).toContain("npm run mimicbot -- sample models/mybot --prompt 'it'\\''s Monday' --max-tokens 60 --temperature 0.9 --top-p 0.95 --seed 1234");
    expect(md).toContain('## 2. 👍 1 · 👎 0 · score 0.21\n\n> unseeded\n\nslack · model `mybot` · 2026-11-29 · unseeded: it cannot be drawn again\n');
  });

  it('quotes words for the shell only when they need it, and leaves the prompt out when there was none', () => {
    expect(shellQuote('models/mybot')).toBe('models/mybot');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('$(rm -rf /)')).toBe("'$(rm -rf /)'");
    expect(sampleCommand(reply({ prompt: '' }))).toBe('npm run mimicbot -- sample models/mybot --max-tokens 60 --temperature 0.9 --top-p 0.95 --seed 1234');
  });
});
