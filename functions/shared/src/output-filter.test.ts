import { describe, expect, it } from 'vitest';
import { createOutputFilter } from './output-filter.js';

describe('createOutputFilter', () => {
  const filter = createOutputFilter();

  it('blocks listed words by default, whatever their case, swaps or suffixes', () => {
    expect(filter.isAllowed('what the FUCKING hell')).toBe(false);
    expect(filter.findBlocked('sh1t happens')).toEqual(['shit*']);
  });
  it('does not match inside other words', () => {
    expect(filter.isAllowed('Scunthorpe United and a shiitake grape')).toBe(true);
  });
  it('takes a configured list instead of the default one', () => {
    const custom = createOutputFilter({ words: ['broccoli'] });
    expect(custom.isAllowed('I hate broccoli')).toBe(false);
    expect(custom.isAllowed('fuck')).toBe(true);
  });
  it('lets everything through when turned off', () => {
    expect(createOutputFilter({ enabled: false }).isAllowed('fuck')).toBe(true);
  });
});
