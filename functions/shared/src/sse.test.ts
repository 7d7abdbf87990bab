import { describe, expect, it } from 'vitest';
import { readSseData } from './sse.js';

async function collect(parts: string[]): Promise<string[]> {
  async function* chunks() {
    for (const part of parts) yield new TextEncoder().encode(part);
  }
  const out: string[] = [];
  for await (const data of readSseData(chunks())) out.push(data);
  return out;
}

describe('readSseData', () => {
  it('yields each event data, even when events and lines are split across chunks', async () => {
    expect(await collect(['data: {"a"', ':1}\n\nda', 'ta: [DONE]\n\n'])).toEqual(['{"a":1}', '[DONE]']);
  });
  it('handles CRLF, comments, other fields and multi-line data', async () => {
    expect(await collect([': ping\r\nevent: x\r\ndata: one\r\ndata: two\r\n\r\n'])).toEqual(['one\ntwo']);
  });
  it('yields a last event that has no blank line after it', async () => {
    expect(await collect(['data: tail'])).toEqual(['tail']);
  });
});
