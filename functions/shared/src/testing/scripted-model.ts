/**
 * The model client's `complete` seam answering from a script, for the tests of the reply loop and of the
 * surfaces' pure adapters around it. Each request takes the next entry: a list of choices (a string is a
 * choice that stopped on its own), or an error to throw. Tests that need the HTTP wire use the stand-in
 * model or the real server instead.
 */
import type { CompletionRequest, ModelClient, TokenLogprobs } from '../model-client.js';

export type ScriptedChoice = string | { text: string; finishReason: string; logprobs?: TokenLogprobs };

export interface ScriptedModel {
  model: Pick<ModelClient, 'complete'>;
  /** Every request, in order. */
  requests: CompletionRequest[];
  signals: (AbortSignal | undefined)[];
}

export function scriptedModel(script: (ScriptedChoice[] | Error)[]): ScriptedModel {
  const requests: CompletionRequest[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  return {
    requests,
    signals,
    model: {
      async complete(request, options) {
        requests.push(request);
        signals.push(options?.signal);
        const next = script.shift();
        if (next === undefined) throw new Error('the scripted model has no answer left');
        if (next instanceof Error) throw next;
        const choices = next.map((c) => (typeof c === 'string' ? { text: c, finishReason: 'stop' } : c));
        return { text: choices[0].text, choices };
      },
    },
  };
}
