/**
 * A training or validation text (posts separated by `<|endoftext|>`, as `prepare` writes them) as token
 * ids: each post on its own, and the packed stream `<eot> post <eot> post <eot> ...`. Posts are encoded
 * one by one, so the separator is always exactly the end-of-text id whatever the tokenizer does with
 * special-token text.
 */
import { splitTrainingText } from '../data/prepare-dataset.js';

export interface TokenCorpus {
  documents: Int32Array[];
  stream: Int32Array;
}

export function tokenizeCorpus(text: string, encode: (text: string) => readonly number[], eos: number): TokenCorpus {
  const documents = splitTrainingText(text).map((post) => Int32Array.from(encode(post)));
  const stream = new Int32Array(documents.reduce((n, d) => n + d.length + 1, 1));
  stream[0] = eos;
  let at = 1;
  for (const d of documents) {
    stream.set(d, at);
    stream[at + d.length] = eos;
    at += d.length + 1;
  }
  return { documents, stream };
}
