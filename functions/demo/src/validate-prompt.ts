/** Checks the body of `POST /` before any generation: `{prompt}` as a short string without control characters. Pure. */

export type PromptCheck = { ok: true; prompt: string } | { ok: false; field: string; message: string };

// C0 controls except tab, newline and carriage return (a textarea produces those), DEL and C1 controls;
// also the bidi overrides that can make a prompt display differently from what it says.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

export function validatePrompt(body: unknown, maxChars: number): PromptCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, field: 'body', message: 'send a JSON object like {"prompt": "..."}' };
  }
  const prompt = (body as { prompt?: unknown }).prompt ?? '';
  if (typeof prompt !== 'string') return { ok: false, field: 'prompt', message: 'prompt must be a string' };
  // Length in characters as people count them (code points), not UTF-16 units.
  const length = Array.from(prompt).length;
  if (length > maxChars) return { ok: false, field: 'prompt', message: `prompt is ${length} characters; the most is ${maxChars}` };
  const bad = FORBIDDEN.exec(prompt);
  if (bad) {
    const code = `U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return { ok: false, field: 'prompt', message: `prompt contains a control character (${code}) at position ${bad.index}` };
  }
  return { ok: true, prompt: prompt.trim() };
}

export type PersonaCheck = { ok: true; index: number } | { ok: false; field: string; message: string };

/**
 * Which persona `{model}` asks for, by index in `names` (MODEL_NAMES); absent means the first. With no name
 * configured only the server's own model can be asked for, by leaving `model` out.
 */
export function validatePersona(body: object, names: readonly string[]): PersonaCheck {
  const model = (body as { model?: unknown }).model;
  if (model === undefined || model === null) return { ok: true, index: 0 };
  const index = typeof model === 'string' ? names.indexOf(model) : -1;
  if (index >= 0) return { ok: true, index };
  const message = names.length === 0 ? 'model must be left out: this demo serves one model' : `model must be one of ${names.map((n) => JSON.stringify(n)).join(', ')}`;
  return { ok: false, field: 'model', message };
}
