/** A source of uniform floats in [0, 1). */
export type Random = () => number;

/**
 * The one seeded generator for sampling (the server, `sample`, the trainer's samples): mulberry32, a tiny
 * 32-bit PRNG, good enough for sampling and, unlike Math.random, seedable. Seeds of any size (JS numbers)
 * are folded into 32 bits first.
 */
export function seededRandom(seed: number): Random {
  let state = foldSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function foldSeed(seed: number): number {
  const n = Math.trunc(Math.abs(seed));
  // Mix the high and low 32 bits so seeds past 2^32 still differ.
  return (n % 4294967296) ^ Math.floor(n / 4294967296) ^ (seed < 0 ? 0x9e3779b9 : 0);
}

/** A seed for a request that gave none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}
