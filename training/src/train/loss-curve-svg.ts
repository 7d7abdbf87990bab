/**
 * The loss curve as a self-contained SVG (no dependency): training loss per step (thin, light), its
 * moving average, and validation loss (dots joined), on shared axes with ticks.
 */
import type { LossPoint } from './trainer.js';

const WIDTH = 720, HEIGHT = 400;
const LEFT = 60, RIGHT = 20, TOP = 36, BOTTOM = 44;

export interface LossCurveOptions {
  title?: string;
  /** Steps averaged in the smoothed training line. */
  smoothing?: number;
}

function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const step = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) ticks.push(Number(v.toPrecision(10)));
  return ticks;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

function movingAverage(points: LossPoint[], window: number): LossPoint[] {
  let sum = 0;
  return points.map((p, i) => {
    sum += p.loss;
    if (i >= window) sum -= points[i - window].loss;
    return { step: p.step, loss: sum / Math.min(i + 1, window) };
  });
}

export function lossCurveSvg(train: LossPoint[], valid: LossPoint[], options: LossCurveOptions = {}): string {
  const all = [...train, ...valid].filter((p) => Number.isFinite(p.loss));
  const maxStep = Math.max(1, ...all.map((p) => p.step));
  const minLoss = Math.min(...all.map((p) => p.loss), Infinity);
  const maxLoss = Math.max(...all.map((p) => p.loss), -Infinity);
  const lo = Number.isFinite(minLoss) ? Math.max(0, minLoss - 0.05 * (maxLoss - minLoss)) : 0;
  const hi = Number.isFinite(maxLoss) ? maxLoss + 0.05 * (maxLoss - minLoss || 1) : 1;
  const x = (step: number) => LEFT + (step / maxStep) * (WIDTH - LEFT - RIGHT);
  const y = (loss: number) => TOP + (1 - (loss - lo) / (hi - lo)) * (HEIGHT - TOP - BOTTOM);
  const path = (points: LossPoint[]) => points.map((p, i) => `${i ? 'L' : 'M'}${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' ');
  const smooth = movingAverage(train, options.smoothing ?? Math.max(1, Math.round(train.length / 50)));

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title ?? 'loss')}</text>`,
  ];
  for (const t of niceTicks(lo, hi, 6)) {
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  }
  for (const s of niceTicks(0, maxStep, 8)) {
    parts.push(`<text x="${x(s).toFixed(1)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle">${s}</text>`);
  }
  parts.push(`<rect x="${LEFT}" y="${TOP}" width="${WIDTH - LEFT - RIGHT}" height="${HEIGHT - TOP - BOTTOM}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle">step</text>`);
  if (train.length) {
    parts.push(`<path d="${path(train)}" fill="none" stroke="#9ecae1" stroke-width="1"/>`);
    parts.push(`<path d="${path(smooth)}" fill="none" stroke="#1f77b4" stroke-width="2"/>`);
  }
  if (valid.length) {
    parts.push(`<path d="${path(valid)}" fill="none" stroke="#d62728" stroke-width="2"/>`);
    for (const p of valid) parts.push(`<circle cx="${x(p.step).toFixed(1)}" cy="${y(p.loss).toFixed(1)}" r="3" fill="#d62728"/>`);
  }
  const legendX = WIDTH - RIGHT - 170;
  parts.push(`<line x1="${legendX}" x2="${legendX + 20}" y1="${TOP + 14}" y2="${TOP + 14}" stroke="#1f77b4" stroke-width="2"/><text x="${legendX + 26}" y="${TOP + 18}">train (moving average)</text>`);
  parts.push(`<line x1="${legendX}" x2="${legendX + 20}" y1="${TOP + 32}" y2="${TOP + 32}" stroke="#d62728" stroke-width="2"/><text x="${legendX + 26}" y="${TOP + 36}">validation</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
