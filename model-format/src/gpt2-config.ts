/**
 * A GPT-2's hyper-parameters, as a model folder's `config.json` gives them (docs/contracts.md). Shape letters,
 * as in llm.c: V vocabulary, P positions, C channels (n_embd), L layers, NH heads.
 */
export interface Gpt2Config {
  vocabSize: number; // V
  /** Context length: prompt + new tokens fit in it. */
  nPositions: number; // P
  nEmbd: number; // C
  nLayer: number; // L
  nHead: number; // NH
  layerNormEpsilon: number;
  bosTokenId: number;
  /** Generation ends when the model samples it (the first one when config.json lists several). */
  eosTokenId: number;
}

/** Parameters of a GPT-2 with its head tied to wte: wte, wpe, L blocks of 12 C² + 13 C, ln_f. */
export function gpt2ParameterCount(config: Pick<Gpt2Config, 'vocabSize' | 'nPositions' | 'nEmbd' | 'nLayer'>): number {
  const { vocabSize: V, nPositions: P, nEmbd: C, nLayer: L } = config;
  return V * C + P * C + L * (12 * C * C + 13 * C) + 2 * C;
}
