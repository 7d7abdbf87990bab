/**
 * Runs sibling tasks under one signal (the caller's, combined with our own): the first failure (queue
 * full, deadline) aborts the others, waits until they have settled, and is rethrown.
 */
export async function allOrCancel<T>(parent: AbortSignal | undefined, start: (signal: AbortSignal) => Promise<T>[]): Promise<T[]> {
  const siblings = new AbortController();
  const signal = parent ? AbortSignal.any([parent, siblings.signal]) : siblings.signal;
  const runs = start(signal);
  try {
    return await Promise.all(runs);
  } catch (error) {
    siblings.abort(error);
    await Promise.allSettled(runs);
    throw error;
  }
}
