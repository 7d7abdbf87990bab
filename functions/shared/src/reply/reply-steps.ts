/**
 * The steps every surface's drafts go through, and the one order they go in:
 *
 *   cleanText → cutAtLength → requireText → (the gate's checks) → (surface: shape) → (surface: present)
 *   → blockFiltered
 *
 * The gate's checks (gate/gate-steps.ts) judge the model's continuation alone, cleaned and cut back to a
 * sentence when it hit the token limit. `shape` reshapes the continuation itself (X fits it to 280
 * weighted characters); `present` turns it into what is shown (Slack puts the prompt before it), so the
 * output filter judges exactly what would go out.
 */
import { cleanGeneratedText } from '../clean-text.js';
import { cutAtLength } from '../gate/cut-at-length.js';
import type { GateSettings } from '../gate/gate-settings.js';
import { gateChecks } from '../gate/gate-steps.js';
import type { OutputFilter } from '../output-filter.js';
import { reject, reshape, type DraftStep } from './draft.js';

/** Special-token markers, invisible and bidirectional controls out; trimmed. */
export const cleanText: DraftStep = (draft) => reshape(draft, cleanGeneratedText(draft.continuation));

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

export function replySteps(filter: OutputFilter, gate: GateSettings, surface: SurfaceSteps = {}): DraftStep[] {
  const shape = surface.shape?.length ? [...surface.shape, requireText] : [];
  return [cleanText, cutAtLength, requireText, ...gateChecks(gate), ...shape, ...(surface.present ?? []), blockFiltered(filter)];
}
