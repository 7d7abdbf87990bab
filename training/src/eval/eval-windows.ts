/**
 * Cuts a token stream into the windows a model is scored on: each window is at most `window` tokens fed in
 * and predicts the token after each of them, so every token but the first is predicted exactly once, from
 * the tokens before it in its own window (the context restarts at each window, as in training).
 */
export interface EvalWindow {
  /** Inputs are stream[start, start + length), targets stream[start + 1, start + length + 1). */
  start: number;
  length: number;
}

export function evalWindows(streamLength: number, window: number): EvalWindow[] {
  if (!Number.isInteger(window) || window < 1) throw new Error(`window must be a positive integer, got ${window}`);
  const windows: EvalWindow[] = [];
  for (let start = 0; start < streamLength - 1; start += window) windows.push({ start, length: Math.min(window, streamLength - 1 - start) });
  return windows;
}
