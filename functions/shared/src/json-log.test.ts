import { describe, expect, it } from 'vitest';
import { createJsonLog } from './json-log.js';

describe('createJsonLog', () => {
  it('writes one JSON line per event, ERROR for *_failed events and INFO otherwise', () => {
    const lines: string[] = [];
    const log = createJsonLog((line) => lines.push(line));
    log('post_done', { id: '7' });
    log('post_failed', { reason: 'timeout' });
    log('started');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { severity: 'INFO', message: 'post_done', id: '7' },
      { severity: 'ERROR', message: 'post_failed', reason: 'timeout' },
      { severity: 'INFO', message: 'started' },
    ]);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });
});
