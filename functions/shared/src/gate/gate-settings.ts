/**
 * The quality gate's thresholds, read from the environment by the shared config (GATE_*). The defaults
 * were set on real drafts: see the README's "quality gate" section for how.
 */
export interface GateSettings {
  /** GATE_CANDIDATES (default 4): drafts asked for in one batched request (`n`); the best survivor is used. */
  candidates: number;
  /** GATE_MIN_WORDS (default 2): fewer words than this is 'too_short'. */
  minWords: number;
  /** GATE_MAX_CHAR_RUN (default 4): one character back to back more times than this is 'repeated_character'. */
  maxCharacterRun: number;
  /** GATE_MAX_REPEATS (default 2): a stretch of 2–40 characters back to back more times than this is 'repeated_phrase'. */
  maxRepeats: number;
  /** GATE_PRIOR_TOKENS (default 8): weight of the ranking's length prior, in tokens (see rank-drafts.ts). */
  priorTokens: number;
}

export const DEFAULT_GATE: GateSettings = {
  candidates: 4,
  minWords: 2,
  maxCharacterRun: 4,
  maxRepeats: 2,
  priorTokens: 8,
};
