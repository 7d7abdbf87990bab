/**
 * `npx tsx model-format/bench/token-decoder.ts <model folder>`: what the server's main thread pays for its
 * tokenizer, the library's (loadTextTokenizer) against the byte table (loadTokenDecoder): how far resident
 * memory rises while loading (peak) and stays after a GC, and what stays alive (V8 heap and external
 * buffers, which RSS overstates: V8 keeps pages it has freed), each in a fresh process so neither
 * measures the other's leftovers; then the decode time, median of 7 runs of 10,000 decodes each of
 * windows growing from the start of a text (as OffsetDecoder re-decodes a held group) and of the short
 * windows IncrementalDecoder decodes per token.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadTextTokenizer } from '../src/text-tokenizer.js';
import { loadTokenDecoder } from '../src/token-decoder.js';

type Mode = 'library' | 'byte-table';
const [dir, mode] = process.argv.slice(2) as [string | undefined, Mode | undefined];
if (dir === undefined) throw new Error('usage: token-decoder.ts <model folder>');

if (mode === undefined) {
  for (const each of ['library', 'byte-table'] as const) {
    process.stdout.write(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), dir, each], { encoding: 'utf8' }));
  }
} else {
  await measure(dir, mode);
}

async function measure(dir: string, mode: Mode): Promise<void> {
  const gc = () => {
    for (let i = 0; i < 3; i++) global.gc!();
  };
  gc();
  const live = () => process.memoryUsage().heapUsed + process.memoryUsage().external;
  const before = process.memoryUsage().rss;
  const liveBefore = live();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const start = performance.now();
  const decoder = mode === 'library' ? await loadTextTokenizer(dir) : await loadTokenDecoder(dir);
  const loadMs = performance.now() - start;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  gc();
  const kept = process.memoryUsage().rss;
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1).padStart(5)} MB`;
  process.stdout.write(
    `${mode.padEnd(10)} load ${loadMs.toFixed(0).padStart(4)} ms   RSS peak +${mb(peak - before)}   RSS after GC +${mb(kept - before)}   live heap+external after GC +${mb(live() - liveBefore)}\n`,
  );

  // The ids of a text with spaces, punctuation, emoji and CJK (the library encodes it in either mode).
  const paragraph = 'The quick brown fox 🦊 jumps over the lazy dog; 日本語のテキスト、中文。 Ça va? “Quotes” and numbers 12345.\n';
  const ids = (mode === 'library' ? (decoder as Awaited<ReturnType<typeof loadTextTokenizer>>) : await loadTextTokenizer(dir)).encode(paragraph.repeat(40));
  const growing = Array.from({ length: 10_000 }, (_, i) => ids.slice(0, 1 + (i % 100)));
  const short = Array.from({ length: 10_000 }, (_, i) => ids.slice(i % (ids.length - 6), (i % (ids.length - 6)) + 1 + (i % 6)));
  for (const [name, windows] of [
    ['growing windows of 1-100 ids', growing],
    ['short windows of 1-6 ids', short],
  ] as const) {
    const times: number[] = [];
    let chars = 0;
    for (let run = 0; run < 7; run++) {
      const t0 = performance.now();
      for (const window of windows) chars += decoder.decode(window).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    process.stdout.write(`${mode.padEnd(10)} 10,000 decodes, ${name}: median ${times[3].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[6].toFixed(1)}; ${chars} chars)\n`);
  }
}
