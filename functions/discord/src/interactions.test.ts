import { describe, expect, it } from 'vitest';
import { readInteraction } from './interactions.js';

const ids = { id: '1', application_id: '2', token: 'tok', type: 2 };

describe('readInteraction', () => {
  it('reads a PING, /mimic with its prompt, and "Continue this" with its target message', () => {
    expect(readInteraction({ type: 1, id: '1' })).toEqual({ kind: 'ping' });
    expect(readInteraction({ ...ids, data: { name: 'mimic', type: 1, options: [{ name: 'prompt', type: 3, value: 'hi' }] } })).toEqual({ kind: 'command', command: 'mimic', interactionId: '1', applicationId: '2', token: 'tok', prompt: 'hi' });
    const resolved = { messages: { '9': { id: '9', content: 'once upon a time' } } };
    expect(readInteraction({ ...ids, data: { name: 'Continue this', type: 3, target_id: '9', resolved } })).toMatchObject({ command: 'Continue this', prompt: 'once upon a time' });
  });

  it('calls other interactions and commands unsupported, and names the field of a broken one', () => {
    expect(readInteraction({ ...ids, type: 3 })).toEqual({ kind: 'unsupported', what: 'interaction type 3' });
    expect(readInteraction({ ...ids, data: { name: 'other', type: 1 } })).toEqual({ kind: 'unsupported', what: 'command "other"' });
    expect(() => readInteraction({ ...ids, token: undefined, data: { name: 'mimic', type: 1 } })).toThrow(expect.objectContaining({ field: 'token' }));
    expect(() => readInteraction({ ...ids, data: { name: 'Continue this', type: 3, target_id: '9', resolved: { messages: {} } } })).toThrow(expect.objectContaining({ field: 'data.resolved.messages.9' }));
    expect(() => readInteraction('nope')).toThrow(expect.objectContaining({ field: 'body' }));
  });
});
