/**
 * The gate's checks in the order a draft meets them (the first that fails names the reason), and the ones
 * of them a streamed reply can apply to each word as it arrives.
 */
import type { DraftStep } from '../reply/draft.js';
import {
  refuseBrokenText,
  refuseNoWords,
  refuseRepeatedCharacter,
  refuseRepeatedPhrase,
  refuseTooShort,
} from './degenerate-steps.js';
import type { GateSettings } from './gate-settings.js';
import { refuseEcho, refuseGlued } from './prompt-steps.js';

/** Every check, for a whole draft. */
export function gateChecks(settings: GateSettings): DraftStep[] {
  return [
    refuseBrokenText,
    refuseRepeatedCharacter(settings.maxCharacterRun),
    refuseRepeatedPhrase(settings.maxRepeats),
    refuseNoWords,
    refuseTooShort(settings.minWords),
    refuseGlued,
    refuseEcho,
  ];
}

/**
 * The checks whose verdict on the start of a text holds for all of it: once a streamed reply fails one,
 * no later word can save it, so it can be stopped before the failing word is shown. (Too short, no words
 * and echo can only be judged at the end.)
 */
export function streamingChecks(settings: GateSettings): DraftStep[] {
  return [refuseBrokenText, refuseRepeatedCharacter(settings.maxCharacterRun), refuseRepeatedPhrase(settings.maxRepeats), refuseGlued];
}
