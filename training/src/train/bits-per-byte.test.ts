import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initGpt2Weights } from '../model/init-weights.js';
import { gpt2Forward } from '../model/reference-forward.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { bitsPerByte, streamBytes, streamLoss } from './bits-per-byte.js';
import { tokenizeCorpus } from './token-corpus.js';
import { TrainingSession } from './training-session.js';

const EOS = 256;
const posts = ['Brevity is the soul of wit.', 'naïve 🎉', 'A penny saved is a penny earned, or so they say.'];
const bytes = (text: string) => Array.from(new TextEncoder().encode(text));
const config = tinyGpt2Config({ nPositions: 16 });
const weights = initGpt2Weights(config, 3);

/** -ln p(next) summed over windows of T tokens of the stream, from the independent reference forward. */
function referenceNats(stream: Int32Array, T: number): number {
  let nats = 0;
  for (let start = 0; start + 1 < stream.length; start += T) {
    const window = Array.from(stream.subarray(start, Math.min(start + T + 1, stream.length)));
    const inputs = window.slice(0, -1);
    const { logits } = gpt2Forward(config, weights, {
      batchSize: 1,
      inputIds: inputs,
      attentionMask: inputs.map(() => 1),
      positionIds: inputs.map((_, i) => i),
    });
    const V = config.vocabSize;
    inputs.forEach((_, t) => {
      const row = logits.subarray(t * V, (t + 1) * V);
      const max = row.reduce((a, b) => Math.max(a, b), -Infinity);
      const logSum = Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0)) + max;
      nats += logSum - row[window[t + 1]];
    });
  }
  return nats;
}

describe('bits per byte', () => {
  let session: TrainingSession;
  beforeAll(async () => {
    session = await TrainingSession.create(config, 'loss', { threads: 1 });
  });
  afterAll(() => session.release());

  it('sums the loss of every prediction in the stream once, as the reference forward computes it', async () => {
    const { stream } = tokenizeCorpus(posts.map((p) => `${p}<|endoftext|>`).join(''), bytes, EOS);
    const T = 16;
    const total = await streamLoss(session, weights, stream, 3, T, EOS);
    expect(total.predictions).toBe(stream.length - 1);
    expect(total.nats).toBeCloseTo(referenceNats(stream, T), 2);
  });

  it('counts each post in UTF-8 bytes plus one for its end-of-text', () => {
    expect(streamBytes(['ab', 'é'])).toBe(2 + 1 + 2 + 1);
  });

  it('is the mean loss per token over ln 2 for the byte-level model, whose tokens are those bytes', async () => {
    const { stream } = tokenizeCorpus(posts.map((p) => `${p}<|endoftext|>`).join(''), bytes, EOS);
    const total = await streamLoss(session, weights, stream, 4, 16, EOS);
    expect(total.predictions).toBe(streamBytes(posts));
    expect(bitsPerByte(total.nats, streamBytes(posts))).toBeCloseTo(total.nats / total.predictions / Math.LN2, 10);
  });

  it('divides total nats by bytes times ln 2', () => {
    expect(bitsPerByte(Math.LN2 * 300, 100)).toBeCloseTo(3, 12);
  });
});
