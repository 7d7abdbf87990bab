/**
 * Learning rate at a step: linear warm-up from ~0 to `maxLr` over `warmupSteps`, then a cosine decay to
 * `minLr` at `totalSteps` (nanoGPT's `get_lr`). Steps count from 0.
 */
export interface LrSchedule {
  maxLr: number;
  minLr: number;
  warmupSteps: number;
  totalSteps: number;
}

export function learningRateAt(step: number, s: LrSchedule): number {
  if (step < s.warmupSteps) return (s.maxLr * (step + 1)) / s.warmupSteps;
  if (step >= s.totalSteps) return s.minLr;
  const progress = (step - s.warmupSteps) / Math.max(1, s.totalSteps - s.warmupSteps);
  return s.minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (s.maxLr - s.minLr);
}
