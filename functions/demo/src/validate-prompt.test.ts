import { describe, expect, it } from 'vitest';
import { validatePersona, validatePrompt } from './validate-prompt.js';

describe('validatePrompt', () => {
  it('accepts a prompt (trimmed), an empty one and a missing one', () => {
    expect(validatePrompt({ prompt: '  hello\nthere\t ' }, 280)).toEqual({ ok: true, prompt: 'hello\nthere' });
    expect(validatePrompt({ prompt: '' }, 280)).toEqual({ ok: true, prompt: '' });
    expect(validatePrompt({}, 280)).toEqual({ ok: true, prompt: '' });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validatePrompt({ prompt: '😀'.repeat(10) }, 10).ok).toBe(true);
    expect(validatePrompt({ prompt: '😀'.repeat(11) }, 10)).toEqual({ ok: false, field: 'prompt', message: 'prompt is 11 characters; the most is 10' });
  });

  it('refuses control characters and bidi overrides, saying which and where', () => {
    expect(validatePrompt({ prompt: 'ab\u0000c' }, 280)).toEqual({ ok: false, field: 'prompt', message: 'prompt contains a control character (U+0000) at position 2' });
    expect(validatePrompt({ prompt: 'x\u001b[31m' }, 280)).toMatchObject({ ok: false, field: 'prompt' });
    expect(validatePrompt({ prompt: 'x\u202Ey' }, 280)).toMatchObject({ ok: false, field: 'prompt' });
    expect(validatePrompt({ prompt: 'x\u0085' }, 280)).toMatchObject({ ok: false, field: 'prompt' });
  });

  it('refuses a prompt that is not a string and a body that is not an object', () => {
    expect(validatePrompt({ prompt: 42 }, 280)).toEqual({ ok: false, field: 'prompt', message: 'prompt must be a string' });
    expect(validatePrompt('hello', 280)).toMatchObject({ ok: false, field: 'body' });
    expect(validatePrompt([1], 280)).toMatchObject({ ok: false, field: 'body' });
    expect(validatePrompt(null, 280)).toMatchObject({ ok: false, field: 'body' });
  });
});

describe('validatePersona', () => {
  it('picks the named persona, the first when none is named, and names the choices otherwise', () => {
    expect(validatePersona({}, ['a', 'b'])).toEqual({ ok: true, index: 0 });
    expect(validatePersona({ model: 'b' }, ['a', 'b'])).toEqual({ ok: true, index: 1 });
    expect(validatePersona({ model: 'c' }, ['a', 'b'])).toEqual({ ok: false, field: 'model', message: 'model must be one of "a", "b"' });
    expect(validatePersona({ model: 7 }, ['a'])).toMatchObject({ ok: false, field: 'model' });
    expect(validatePersona({ model: 'a' }, [])).toEqual({ ok: false, field: 'model', message: 'model must be left out: this demo serves one model' });
  });
});
