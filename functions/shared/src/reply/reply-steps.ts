/**
 * The steps every surface's drafts go through, and the one order they go in:
 *
 *   cleanText → (surface: shape) → requireText → (surface: present) → blockFiltered
 *
 * `shape` reshapes the continuation itself (X fits it to 280 weighted characters); `present` turns it into
 * what is shown (Slack puts the prompt before it), so the output filter judges exactly what would go out.
 * Checks that judge the continuation alone belong between cleanText and shape.
 */
import { cleanGeneratedText } from '../clean-text.js';
import type { OutputFilter } from '../output-filter.js';
import { reject, type DraftStep } from './draft.js';

/** Special-token markers, invisible and bidirectional controls out; trimmed. */
export const cleanText: DraftStep = (draft) => ({ ...draft, text: cleanGeneratedText(draft.text) });

/** Nothing left to say: rejected as 'empty'. */
export const requireText: DraftStep = (draft) => (draft.text === '' ? reject('empty') : draft);

/** Text with a blocked word: rejected as 'filtered' (the words found are not carried, so they cannot be logged). */
export function blockFiltered(filter: OutputFilter): DraftStep {
  return (draft) => (filter.isAllowed(draft.text) ? draft : reject('filtered'));
}

export interface SurfaceSteps {
  /** Reshape the continuation before it is judged (X: fit its weighted length). */
  shape?: readonly DraftStep[];
  /** Turn the continuation into what is shown (Slack: the prompt, then the continuation). */
  present?: readonly DraftStep[];
}

export function replySteps(filter: OutputFilter, surface: SurfaceSteps = {}): DraftStep[] {
  return [cleanText, ...(surface.shape ?? []), requireText, ...(surface.present ?? []), blockFiltered(filter)];
}
