/**
 * The bench's table as a picture for the README (`assets/bench.svg`): one panel per metric, one bar per side,
 * each panel on its own scale from zero (the metrics have different units), the value written on every bar.
 * Plain SVG text, no browser and no library: a few rectangles and labels are all a grouped bar chart needs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SideResult } from './load.js';

/** One row of the bench's table: how to read it off a side, and which way is better. */
export interface Metric {
  label: string;
  get: (side: SideResult) => number;
  better: 'higher' | 'lower';
  digits: number;
}

interface ChartBar {
  side: string;
  value: number;
}

// Our sides in blues and greens, the peer's in oranges: the same colour for a side in every panel.
const PALETTE = ['#1f4e99', '#2f74c0', '#6ba3e0', '#1b7f5a', '#39a97a', '#86cfa9', '#c05a1f', '#e8964f', '#f3c08f'];
const COLUMNS = 3;
const PANEL = { width: 400, height: 250, top: 42, bottom: 18, side: 16 };
const LEGEND_ROW = 22;

export function benchChartSvg(title: string, sides: readonly SideResult[], metrics: readonly Metric[]): string {
  const colours = new Map(sides.map((s, i) => [s.name, PALETTE[i % PALETTE.length]]));
  const legendRows = Math.ceil(sides.length / COLUMNS);
  const top = 40 + legendRows * LEGEND_ROW + 10;
  const rows = Math.ceil(metrics.length / COLUMNS);
  const width = COLUMNS * PANEL.width;
  const height = top + rows * PANEL.height + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  sides.forEach((s, i) => {
    const x = 20 + (i % COLUMNS) * PANEL.width;
    const y = 40 + Math.floor(i / COLUMNS) * LEGEND_ROW;
    out.push(`<rect x="${x}" y="${y}" width="14" height="14" fill="${colours.get(s.name)}"/>`, `<text x="${x + 20}" y="${y + 11}">${escapeXml(s.name)}</text>`);
  });
  metrics.forEach((metric, i) => {
    const x0 = (i % COLUMNS) * PANEL.width;
    const y0 = top + Math.floor(i / COLUMNS) * PANEL.height;
    out.push(...panel(x0, y0, metric, sides.map((s) => ({ side: s.name, value: metric.get(s) })), colours));
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function panel(x0: number, y0: number, metric: Metric, bars: readonly ChartBar[], colours: Map<string, string>): string[] {
  const plotTop = y0 + PANEL.top;
  const plotHeight = PANEL.height - PANEL.top - PANEL.bottom;
  const baseline = plotTop + plotHeight;
  const max = Math.max(...bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)), 0);
  const slot = (PANEL.width - 2 * PANEL.side) / bars.length;
  const barWidth = Math.max(4, slot * 0.72);
  const out = [
    `<text x="${x0 + PANEL.width / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${escapeXml(metric.label)}</text>`,
    `<text x="${x0 + PANEL.width / 2}" y="${y0 + 31}" text-anchor="middle" fill="#555555">${metric.better} is better</text>`,
    `<line x1="${x0 + PANEL.side}" y1="${baseline}" x2="${x0 + PANEL.width - PANEL.side}" y2="${baseline}" stroke="#888888"/>`,
  ];
  bars.forEach((bar, i) => {
    const value = Number.isFinite(bar.value) ? bar.value : 0;
    const h = max > 0 ? (value / max) * (plotHeight - 14) : 0;
    const x = x0 + PANEL.side + i * slot + (slot - barWidth) / 2;
    out.push(
      `<rect x="${x.toFixed(1)}" y="${(baseline - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${colours.get(bar.side)}"><title>${escapeXml(`${bar.side}: ${value.toFixed(metric.digits)}`)}</title></rect>`,
      `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(baseline - h - 3).toFixed(1)}" text-anchor="middle" font-size="10">${value.toFixed(metric.digits)}</text>`,
    );
  });
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export async function writeBenchChart(path: string, title: string, sides: readonly SideResult[], metrics: readonly Metric[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, benchChartSvg(title, sides, metrics));
}
