import { describe, expect, it } from 'vitest';
import { benchChartSvg, type Metric } from '../bench/bench-chart.js';
import type { SideResult } from '../bench/load.js';

function side(name: string, tps: number, rss: number): SideResult {
  return { name, coldStartMs: 1000, coldStartFirstTokenMs: 1100, singleStream: { tps, ttftMs: 30, tokens: 64 }, concurrent: [], peakRssMb: rss, note: '' };
}

const sides = [side('mimicbot q4', 100, 500), side('transformers.js <fp32> & co', 25, 1000)];
const metrics: Metric[] = [
  { label: 'single stream tokens/s', get: (s) => s.singleStream.tps, better: 'higher', digits: 1 },
  { label: 'peak RSS (MB)', get: (s) => s.peakRssMb, better: 'lower', digits: 0 },
];

/** The bars of the chart, in order: [x, y, height, fill]. */
function bars(svg: string): { y: number; height: number; fill: string }[] {
  return [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="(#\w+)"><title>/g)].map((m) => ({ y: Number(m[1]), height: Number(m[2]), fill: m[3] }));
}

describe('benchChartSvg', () => {
  it('draws one bar per side in each metric, as tall as its value against the panel largest, on one baseline', () => {
    const svg = benchChartSvg('the bench', sides, metrics);
    const drawn = bars(svg);
    expect(drawn).toHaveLength(4);
    const [ours, peer, oursRss, peerRss] = drawn;
    expect(ours.height / peer.height).toBeCloseTo(4, 2);
    expect(oursRss.height / peerRss.height).toBeCloseTo(0.5, 2);
    expect(ours.y + ours.height).toBeCloseTo(peer.y + peer.height, 5);
    // A side keeps its colour from panel to panel; the two sides differ.
    expect(oursRss.fill).toBe(ours.fill);
    expect(peer.fill).not.toBe(ours.fill);
    expect(svg).toContain('>100.0</text>');
    expect(svg).toContain('>1000</text>');
    expect(svg).toContain('higher is better');
    expect(svg).toContain('lower is better');
  });

  it('escapes names, so a side called <fp32> & co is text and the file stays well-formed XML', () => {
    const svg = benchChartSvg('a & b', sides, metrics);
    expect(svg).toContain('transformers.js &lt;fp32&gt; &amp; co');
    expect(svg).toContain('>a &amp; b</text>');
    expect(svg).not.toMatch(/<fp32>|& co/);
    expect(svg.trim().startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});
