/**
 * How repetitive a text is, measured the two ways a small model's loops show up: one character held down
 * ("ommbommmmmmm", "ttttttt") and a short stretch said again and again, back to back ("ierierierier",
 * "is it is it is it"). Pure measures; the thresholds live in the gate's settings.
 */

/** The longest run of one character repeated back to back; whitespace runs do not count. */
export function longestCharacterRun(text: string): number {
  let longest = 0;
  let run = 0;
  let previous = '';
  for (const character of text) {
    run = character === previous ? run + 1 : 1;
    previous = character;
    if (run > longest && !/\s/u.test(character)) longest = run;
  }
  return longest;
}

export interface RepeatedUnit {
  /** The stretch that repeats (its first occurrence). */
  unit: string;
  /** How many times it occurs back to back (2 or more), or 0 when nothing repeats. */
  repeats: number;
}

/** Units longer than this are not looked for: a phrase loop shows up well within it. */
export const LONGEST_UNIT = 40;

/**
 * The stretch of 2 to `longestUnit` characters that repeats the most times back to back, counting only
 * stretches with a letter or digit in them (a row of dots or dashes is a character run, not a phrase).
 * Ties go to the longer total length. Bounded: O(length x longestUnit x repeats).
 */
export function mostRepeatedUnit(text: string, longestUnit = LONGEST_UNIT): RepeatedUnit {
  const characters = Array.from(text);
  let best: RepeatedUnit = { unit: '', repeats: 0 };
  let bestSpan = 0;
  for (let size = 2; size <= Math.min(longestUnit, characters.length >> 1); size++) {
    for (let start = 0; start + 2 * size <= characters.length; start++) {
      let repeats = 1;
      while (sameStretch(characters, start, start + repeats * size, size)) repeats++;
      if (repeats < 2) continue;
      const unit = characters.slice(start, start + size).join('');
      // A unit that is itself a repetition ("mmmm" of "mm") is the smaller unit's business.
      if (!/[\p{L}\p{N}]/u.test(unit) || isPeriodic(unit)) continue;
      const span = repeats * size;
      if (repeats > best.repeats || (repeats === best.repeats && span > bestSpan)) {
        best = { unit, repeats };
        bestSpan = span;
      }
      // Skip past this run: its later starting points only find the same loop, shifted.
      start += (repeats - 1) * size;
    }
  }
  return best;
}

function sameStretch(characters: readonly string[], a: number, b: number, size: number): boolean {
  if (b + size > characters.length) return false;
  for (let i = 0; i < size; i++) if (characters[a + i] !== characters[b + i]) return false;
  return true;
}

/** True when the unit is a shorter unit said over ("abab", "mmm"). */
function isPeriodic(unit: string): boolean {
  return (unit + unit).indexOf(unit, 1) < unit.length;
}
