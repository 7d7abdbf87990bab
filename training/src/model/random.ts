/**
 * A small seeded pseudo-random generator (SplitMix32-style mixing on a 32-bit counter), so that
 * `init --seed 1` gives the same weights on every machine and training draws the same batches.
 * For training only (weight initialisation, batch draws): sampling tokens uses the one sampling generator,
 * `seededRandom` in @mimicbot/model-format/sampling, shared with the server. Not for cryptography.
 */
export class SeededRandom {
  private state: number;
  /** A spare normal deviate from the last Box-Muller pair. */
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform number in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A standard normal deviate (Box-Muller; the second value of each pair is kept for the next call). */
  nextNormal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u1 = (this.nextUint32() + 1) / 4294967297; // (0, 1]: log never sees 0
    const theta = 2 * Math.PI * this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * Fills `out` with normal deviates of the given standard deviation, in place. The same Box-Muller
   * pairs as nextNormal, with the generator inlined: this fills the 124M floats of GPT-2 small.
   */
  fillNormal(out: Float32Array, std: number): Float32Array {
    let i = 0;
    if (this.spare !== null && out.length > 0) {
      out[i++] = this.spare * std;
      this.spare = null;
    }
    let state = this.state;
    const next = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    const TWO_PI = 2 * Math.PI;
    for (; i + 1 < out.length; i += 2) {
      const r = Math.sqrt(-2 * Math.log((next() + 1) / 4294967297));
      const theta = TWO_PI * (next() / 4294967296);
      out[i] = r * Math.cos(theta) * std;
      out[i + 1] = r * Math.sin(theta) * std;
    }
    this.state = state;
    if (i < out.length) out[i] = this.nextNormal() * std;
    return out;
  }
}

/** FNV-1a hash of a string mixed with a seed: one independent stream per tensor name. */
export function seedFor(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
