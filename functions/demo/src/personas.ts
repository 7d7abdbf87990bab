/**
 * The bots the page shows: one per MODEL_NAMES entry (BOT Baby's two side by side), or the server's own
 * model when none is named. Each is checked against what the server lists: a name it does not serve is
 * marked, so the page says so instead of failing every prompt. Pure.
 */
import type { ServedModel } from '@mimicbot/functions-shared';

export interface Persona {
  /** What the page sends as `model`; absent for the server's own model (MODEL_NAMES and MODEL_NAME unset). */
  name?: string;
  /** The model id as the server lists it (what feedback records); the name, or the first listed, or 'default'. */
  id: string;
  /** The model card's one-line description, when the server gives one. */
  description?: string;
  /** False when the server answered and does not list this name; true while it cannot be asked. */
  served: boolean;
}

export function describePersonas(names: readonly string[], served: ServedModel[] | undefined): Persona[] {
  if (names.length === 0) {
    const first = served?.[0];
    return [{ id: first?.id ?? 'default', ...(first?.description ? { description: first.description } : {}), served: true }];
  }
  return names.map((name) => {
    const listed = served?.find((model) => model.id === name);
    return { name, id: name, ...(listed?.description ? { description: listed.description } : {}), served: served === undefined || listed !== undefined };
  });
}
