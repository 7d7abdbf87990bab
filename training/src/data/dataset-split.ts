import { createHash } from 'node:crypto';

/**
 * A post's place in [0, 1), from the SHA-256 of its id (or its text, when it has no id). The same post
 * always lands in the same split, whatever else the dataset holds and however often `prepare` runs, so
 * adding new posts never moves an old validation post into training.
 */
export function splitPoint(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

export interface Split<T> {
  train: T[];
  valid: T[];
}

/**
 * Posts whose point is below `validFraction` go to validation. Each side comes out ordered by point, a
 * shuffle that is the same on every run. When there are at least two posts and none fell in validation,
 * the lowest one moves there, so the trainer always has something to validate on.
 */
export function splitByHash<T>(items: T[], keyOf: (item: T) => string, validFraction: number): Split<T> {
  if (!(validFraction >= 0 && validFraction < 1)) throw new RangeError(`validFraction must be in [0, 1), got ${validFraction}`);
  const placed = items.map((item) => ({ item, point: splitPoint(keyOf(item)) })).sort((a, b) => a.point - b.point);
  let cut = placed.findIndex((p) => p.point >= validFraction);
  if (cut === -1) cut = placed.length;
  if (cut === 0 && placed.length >= 2 && validFraction > 0) cut = 1;
  return {
    valid: placed.slice(0, cut).map((p) => p.item),
    train: placed.slice(cut).map((p) => p.item),
  };
}
