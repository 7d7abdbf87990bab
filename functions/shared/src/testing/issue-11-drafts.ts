/**
 * The drafts issue 11 saw the bots send, word for word, for the tests that show the quality gate keeps
 * them off every surface: two degenerate ones the X poster posted, one cut off at the token limit, the
 * Slack reply that ran on into its prompt, and a good line among them. Lines for the stand-in model
 * (stand-in-model.ts); the log-probabilities make the degenerate ones the likeliest (a loop is, to the
 * model that is in it), so only the gate, not the ranking, keeps them out.
 */
import type { StandInLine } from './stand-in-model.js';

export const ISSUE_11 = {
  degenerate: ['…ch was wililit ck ommbommmmmmm', '…ferierieierierier…rrrrrrierrr…ttttttt'],
  lengthCut: 'Q: A women a contaition is it not is think one. <etor> Let o',
  /** The length-cut draft as the gate cuts it back. */
  lengthCutKept: 'Q: A women a contaition is it not is think one.',
  /** Continues the prompt "tell me a secret" inside its last word. */
  gluedPrompt: 'tell me a secret',
  glued: 'tempt friends.',
  good: 'Mondays are better with a strong coffee.',
} as const;

/** Pieces of the issue's texts that must never reach a reader (the cut draft's lost end included). */
export const ISSUE_11_NEVER_SHOWN = ['ommbommm', 'ierieier', 'rrrrrr', 'ttttttt', '<etor>', 'Let o', 'secrettempt'];

/** One draw of four: the two degenerate drafts (likeliest), the length-cut one, and the good one. */
export function issue11Draw(options: { cutIsBest?: boolean } = {}): StandInLine[] {
  return [
    { text: ` ${ISSUE_11.degenerate[0]}`, logprob: -0.2 },
    { text: ` ${ISSUE_11.degenerate[1]}`, logprob: -0.2 },
    { text: ` ${ISSUE_11.lengthCut}`, finishReason: 'length', logprob: options.cutIsBest ? -1 : -2.5 },
    { text: ` ${ISSUE_11.good}`, logprob: -1.5 },
  ];
}
