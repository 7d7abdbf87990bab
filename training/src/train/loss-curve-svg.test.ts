import { describe, expect, it } from 'vitest';
import { lossCurveSvg } from './loss-curve-svg.js';

describe('lossCurveSvg', () => {
  it('draws the training line, its average and one dot per validation point, higher loss higher up', () => {
    const train = Array.from({ length: 100 }, (_, i) => ({ step: i + 1, loss: 5 - i / 25 }));
    const valid = [
      { step: 0, loss: 5.2 },
      { step: 50, loss: 3.5 },
      { step: 100, loss: 1.2 },
    ];
    const svg = lossCurveSvg(train, valid, { title: 'a & b' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('a &amp; b');
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(dots).toHaveLength(3);
    expect(dots[0][0]).toBeLessThan(dots[1][0]); // later steps to the right
    expect(dots[0][1]).toBeLessThan(dots[2][1]); // higher loss nearer the top
    expect(svg.match(/<path /g)).toHaveLength(3);
  });

  it('still writes a valid picture with no points', () => {
    expect(lossCurveSvg([], [])).toContain('</svg>');
  });
});
