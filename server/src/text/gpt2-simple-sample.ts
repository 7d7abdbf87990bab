/**
 * gpt-2-simple's post-processing of one sample, as gpt-2-cloud-run applies it on `/`: cut at the
 * `truncate` delimiter, optionally put the prompt back in front, strip leading newlines.
 *
 * Differences from gpt-2-simple, on purpose:
 * - the delimiter is searched in the generated text only (gpt-2-simple also searched the prompt, so a
 *   prompt containing the delimiter gave an empty sample), and generation stops as soon as it appears;
 * - `include_prefix: false` always drops the prompt (gpt-2-simple kept it when `truncate` was not set).
 */
export interface SampleShaping {
  truncate?: string;
  includePrefix: boolean;
}

/** `generated` is the sampled continuation, already cut at `truncate` when generation stopped on it. */
export function shapeSample(prompt: string, generated: string, shaping: SampleShaping): string {
  let text = generated;
  if (shaping.truncate) {
    const at = text.indexOf(shaping.truncate);
    if (at >= 0) text = text.slice(0, at);
  }
  if (shaping.includePrefix) text = prompt + text;
  return text.replace(/^\n+/, '');
}

/** The part a retry looks at: a sample with no generated text (only the prompt, or nothing) is "empty". */
export function isEmptySample(generated: string, shaping: SampleShaping): boolean {
  return shapeSample('', generated, { ...shaping, includePrefix: false }).trim() === '';
}
