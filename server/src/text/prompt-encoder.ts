import type { TextTokenizer } from './tokenizer.js';

/**
 * Prompt text to token ids, asynchronously: the server encodes on a thread of its own
 * (tokenizer-thread.ts), because byte-level BPE on one long word costs milliseconds per kilobyte.
 */
export interface PromptEncoder {
  encode(text: string): Promise<number[]>;
}

/** On the calling thread: for tests and tools, where nothing else waits on the event loop. */
export function inThreadEncoder(tokenizer: Pick<TextTokenizer, 'encode'>): PromptEncoder {
  return { encode: async (text) => tokenizer.encode(text) };
}
