/**
 * `npm run bench:quant -w training`: decode speed and memory of the server-shaped decoder
 * (`server_decoder*.onnx`) at GPT-2 124M's shape (random weights, GPT-2's vocabulary) in fp32, q8, q4 and q4
 * with an 8-bit head, straight on onnxruntime: one decode step (1 new token per row) at batch 1 and 16, past
 * 128 and 512.
 *
 * The parent builds the graphs into a temporary folder; each is then measured in a child process of its own,
 * so its peak RSS is that graph's alone (session + weights + the step's buffers, not the builder's fp32
 * weights): once after the B=1, P=128 case (weights, mostly) and once after all cases (the B=16, P=512
 * step's activations too, about the same for every graph). Graphs are interleaved round by round and each
 * figure is the median over rounds, so load from other processes lands on all of them alike.
 * tok/s = rows x steps / time; ratios are against fp32 measured in the same run.
 *
 * Options: --rounds N (default 3), --steps N (timed steps per case and round, default 8), --threads N
 * (onnxruntime intra-op threads, default 2), --keep DIR (write the graphs there and keep them).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { BENCH_CONFIG, DECODE_CASES, median } from './decode-cases.js';
import { initGpt2Weights } from '../src/model/init-weights.js';
import { buildGpt2ServerDecoder } from '../src/onnx/gpt2-server-decoder.js';
import { graphFile } from '@mimicbot/model-format';
import { defaultQuantizeSpec, quantizeGpt2Weights, type QuantizeSpec } from '../src/onnx/quantize/quantize-weights.js';
import { writeOnnxModel } from '../src/onnx/write-onnx-model.js';

const CONFIG = BENCH_CONFIG;
const CASES = DECODE_CASES;
/** What is measured: the three dtypes' graphs, and q4 with an 8-bit head (the head shares the embedding's table). */
const VARIANTS: { name: string; file: string; spec?: QuantizeSpec }[] = [
  { name: 'fp32', file: graphFile('fp32', 'server') },
  { name: 'q8', file: graphFile('q8', 'server'), spec: defaultQuantizeSpec('q8') },
  { name: 'q4', file: graphFile('q4', 'server'), spec: defaultQuantizeSpec('q4') },
  { name: 'q4, head q8', file: 'server_decoder_q4_head8.onnx', spec: { ...defaultQuantizeSpec('q4'), headBits: 8 } },
];

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '8' },
    threads: { type: 'string', default: '2' },
    keep: { type: 'string' },
    child: { type: 'string' },
  },
});
const steps = Number(values.steps);
const threads = Number(values.threads);

interface ChildResult {
  createMs: number;
  /** Milliseconds per decode step, per case. */
  stepMs: number[];
  /** Peak RSS after each case, cumulative: after the first (B=1, P=128) it is the weights' share, after the last the step's buffers at B=16, P=512 too. */
  peakRssMb: number[];
}

/** One graph's session, every case timed: the child's whole job. */
async function measure(graph: string): Promise<ChildResult> {
  const started = performance.now();
  const session = await ort.InferenceSession.create(graph, { intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
  const createMs = performance.now() - started;
  const { nLayer: L, nEmbd: C } = CONFIG;
  const maxPast = new Float32Array(Math.max(...CASES.map((c) => c.B * c.P)) * C); // one zero slab serves every layer (inputs are not copied)
  const stepMs: number[] = [];
  const peakRssMb: number[] = [];
  for (const { B, P } of CASES) {
    const i64 = (xs: number[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs, BigInt), dims);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: i64(Array.from({ length: B }, (_, b) => (b * 7919 + 13) % CONFIG.vocabSize), [B, 1]),
      attention_mask: i64(Array<number>(B * (P + 1)).fill(1), [B, P + 1]),
      position_ids: i64(Array<number>(B).fill(P), [B, 1]),
      // The last position's logits only, as the server asks while decoding.
      logits_positions: i64([-1], [1]),
    };
    const past = new ort.Tensor('float32', maxPast.subarray(0, P * B * C), [B, CONFIG.nHead, P, C / CONFIG.nHead]); // the server's slab, every slot in use
    for (let l = 0; l < L; l++) feeds[`past_key.${l}`] = feeds[`past_value.${l}`] = past;
    await session.run(feeds); // warm-up: first runs allocate and pick kernels
    await session.run(feeds);
    const start = performance.now();
    for (let i = 0; i < steps; i++) await session.run(feeds);
    stepMs.push((performance.now() - start) / steps);
    peakRssMb.push(peakRssMbOfThisProcess());
  }
  await session.release();
  return { createMs, stepMs, peakRssMb };
}

/**
 * VmHWM, the peak RSS of this process image. Not `resourceUsage().maxRSS`: Linux carries that across fork and
 * exec, so a child would report the parent's peak (the builder's fp32 weights) whenever that is higher.
 */
function peakRssMbOfThisProcess(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: fall back below
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function buildGraphs(dir: string): Promise<{ file: string; mb: number }[]> {
  process.stderr.write(`building GPT-2 124M (random weights) as ${VARIANTS.map((v) => v.name).join(', ')} into ${dir} ...\n`);
  const weights = initGpt2Weights(CONFIG, 1);
  const out: { file: string; mb: number }[] = [];
  for (const variant of VARIANTS) {
    const quantized = variant.spec && quantizeGpt2Weights(CONFIG, weights, variant.spec);
    const file = join(dir, variant.file);
    await writeOnnxModel(file, buildGpt2ServerDecoder(CONFIG, weights, { quantized }));
    out.push({ file, mb: (await stat(file)).size / 1e6 });
  }
  return out;
}


if (values.child !== undefined) {
  process.stdout.write(`${JSON.stringify(await measure(values.child))}\n`);
} else {
  const rounds = Number(values.rounds);
  const dir = values.keep ?? (await mkdtemp(join(tmpdir(), 'bench-quant-')));
  await mkdir(dir, { recursive: true });
  try {
    const graphs = await buildGraphs(dir);
    const script = fileURLToPath(import.meta.url);
    const results: ChildResult[][] = VARIANTS.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (const [i, variant] of VARIANTS.entries()) {
        const out = execFileSync(process.execPath, [...process.execArgv, script, '--child', graphs[i].file, '--steps', String(steps), '--threads', String(threads)], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        results[i].push(JSON.parse(out.trim().split('\n').at(-1) as string) as ChildResult);
        process.stderr.write(`round ${r + 1}/${rounds}: ${variant.name} measured\n`);
      }
    }
    const summary = VARIANTS.map((variant, i) => {
      const rs = results[i];
      return {
        name: variant.name,
        mb: graphs[i].mb,
        createMs: median(rs.map((x) => x.createMs)),
        tokPerS: CASES.map((c, i) => c.B / (median(rs.map((x) => x.stepMs[i])) / 1000)),
        rssB1: median(rs.map((x) => x.peakRssMb[0])),
        rssAll: median(rs.map((x) => x.peakRssMb[CASES.length - 1])),
      };
    });
    const fp32 = summary[0];
    const header = ['graph', 'file MB', 'session ms', ...CASES.map((c) => `B=${c.B} P=${c.P} tok/s`), 'peak RSS MB, B=1 P=128', 'peak RSS MB, all'];
    const ratio = (x: number, base: number) => `${x.toFixed(0)} (${(x / base).toFixed(2)}x)`;
    const rows = summary.map((s) => [
      s.name,
      s.mb.toFixed(0),
      s === fp32 ? s.createMs.toFixed(0) : ratio(s.createMs, fp32.createMs),
      ...s.tokPerS.map((t, i) => (s === fp32 ? t.toFixed(1) : `${t.toFixed(1)} (${(t / fp32.tokPerS[i]).toFixed(2)}x)`)),
      s === fp32 ? s.rssB1.toFixed(0) : ratio(s.rssB1, fp32.rssB1),
      s === fp32 ? s.rssAll.toFixed(0) : ratio(s.rssAll, fp32.rssAll),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |\n`;
    process.stdout.write(
      `bench:quant: server decoder, GPT-2 124M shape, one decode step; median of ${rounds} rounds x ${steps} steps; ${threads} onnxruntime threads; ratios vs fp32 in this run\n` +
        line(header) +
        `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|\n` +
        rows.map(line).join(''),
    );
  } finally {
    if (values.keep === undefined) await rm(dir, { recursive: true, force: true });
  }
}
