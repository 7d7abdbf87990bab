/**
 * `npm run bench:attention -w training`: issue 10 item 4, how a decode step's attention should meet the
 * KV cache. The server graph at GPT-2 124M's shape (random weights, GPT-2's vocabulary, q4 by default), one
 * new token per row at batch 1 and 16, past 128 and 512, in four cache layouts:
 *
 * - `time-major`: the layout served until now. The server owns a slab `[Tcap, B, C]` per layer and feeds its
 *   first P rows zero-copy; the graph transposes them to heads and concatenates the new row (a copy of the
 *   whole cache at every layer and step) and returns only the new rows, which the server appends in place.
 * - `heads`: what the server graph does now (`buildGpt2ServerDecoder`). The slab is `[B, NH, Tcap, HS]`, fed
 *   whole; attention reads it where it lies (scores against the past and against the new row, one softmax)
 *   and only the new rows go out. No copy of the cache.
 * - `gqa shared`: com.microsoft GroupQueryAttention over the same slab with `seqlens_k`, and the slab passed
 *   as the `present` fetch too, so onnxruntime appends the new row in place (past and present share one
 *   buffer); onnxruntime-node then hands back a copy of that output (onnx.md §3.3).
 * - `mha present`: com.microsoft MultiHeadAttention with `past_key`/`past_value` `[B, NH, P, HS]` whose
 *   `present` is fetched and becomes the next past, as the optimum contract works (no shared buffer:
 *   MultiHeadAttention on the CPU has none).
 *
 * Each step is timed with the server's own work around it (feeding, appending the new rows), the past growing
 * from P. All four sessions live in one process (their onnxruntime threads not spinning, so an idle session
 * takes no core from the running one) and take their steps in turn (time-major, heads, gqa, mha, time-major,
 * ...), so a busy neighbour slows them alike; each round is a fresh process, and each figure is the
 * median step over all rounds. The first step's logits of every layout are compared with `heads` on the same
 * cache contents (max |diff|), so a layout that computes something else shows. tok/s = rows / step time;
 * ratios are against `time-major` in the same run.
 *
 * Options: --dtype fp32|q8|q4 (default q4), --rounds N (3), --steps N (8), --threads N (onnxruntime intra-op
 * threads, 2).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { headDim, type Gpt2Weights } from '../src/model/gpt2-config.js';
import { BENCH_CONFIG, DECODE_CASES, median } from './decode-cases.js';
import { initGpt2Weights } from '../src/model/init-weights.js';
import { OPSET, quantizationMetadata } from '../src/onnx/gpt2-decoder.js';
import { gpt2GraphParts, gpt2Opsets, type CachedAttention, type Gpt2GraphOptions } from '../src/onnx/gpt2-graph-parts.js';
import { buildGpt2ServerDecoder } from '../src/onnx/gpt2-server-decoder.js';
import { GraphBuilder } from '../src/onnx/graph-builder.js';
import { DataType, type ModelProto } from '../src/onnx/onnx-proto.js';
import { MS_DOMAIN } from '../src/onnx/quantize/matmul-nbits.js';
import { defaultQuantizeSpec, quantizeGpt2Weights } from '../src/onnx/quantize/quantize-weights.js';
import { writeOnnxModel } from '../src/onnx/write-onnx-model.js';

const CONFIG = BENCH_CONFIG;
const { nLayer: L, nEmbd: C, nHead: NH } = CONFIG;
const HS = headDim(CONFIG);
const CASES = DECODE_CASES;
const LAYOUTS = ['time-major', 'heads', 'gqa shared', 'mha present'] as const;
type Layout = (typeof LAYOUTS)[number];

const { values } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'q4' },
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '8' },
    threads: { type: 'string', default: '2' },
    child: { type: 'string' },
  },
});
const steps = Number(values.steps);
const threads = Number(values.threads);

/** A fused-attention decoder (GQA or MHA) with the server graph's inputs otherwise: bench-only, to measure against. */
function buildFusedAttentionDecoder(weights: Gpt2Weights, kind: 'gqa' | 'mha', options: Gpt2GraphOptions): ModelProto {
  const g = new GraphBuilder(`gpt2_${kind}_decoder`);
  const inputIds = g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch_size', 'total_length']);
  const positionIds = g.input('position_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const logitsPositions = g.input('logits_positions', DataType.INT64, ['logits_positions']);
  const seqlensK = kind === 'gqa' ? g.input('seqlens_k', DataType.INT32, ['batch_size']) : '';
  const totalLength = kind === 'gqa' ? g.input('total_sequence_length', DataType.INT32, []) : '';
  const past = Array.from({ length: L }, (_, l) => ({
    key: g.input(`past_key.${l}`, DataType.FLOAT, ['batch_size', NH, 'past_sequence_length', HS]),
    value: g.input(`past_value.${l}`, DataType.FLOAT, ['batch_size', NH, 'past_sequence_length', HS]),
  }));
  const { layerNorm, toHeads, embeddings, head, block } = gpt2GraphParts(g, CONFIG, weights, { inputIds, attentionMask, positionIds }, options);
  const fused: CachedAttention = (l, { q, k, v }) => {
    const outputs = ['', `present_key.${l}`, `present_value.${l}`];
    const [y] =
      kind === 'gqa'
        ? g.ops('GroupQueryAttention', [q, k, v, past[l].key, past[l].value, seqlensK, totalLength], [`gqa.${l}`, ...outputs.slice(1)], { num_heads: { i: NH }, kv_num_heads: { i: NH } }, { domain: MS_DOMAIN })
        : g.ops('MultiHeadAttention', [q, k, v, '', '', '', past[l].key, past[l].value], [`mha.${l}`, ...outputs.slice(1)], { num_heads: { i: NH }, unidirectional: { i: 1 } }, { domain: MS_DOMAIN });
    return toHeads(y); // [B, T, C] -> [B, NH, T, HS], as the block merges heads itself
  };
  let x = embeddings();
  for (let l = 0; l < L; l++) x = block(x, l, fused);
  const picked = g.op('Gather', [x, logitsPositions], { axis: { i: 1 } });
  head(layerNorm(g.op('Reshape', [picked, g.constInt64([-1, C], [2])]), 'ln_f'), 'logits');
  g.output('logits', DataType.FLOAT, ['rows', CONFIG.vocabSize]);
  for (let l = 0; l < L; l++) {
    g.output(`present_key.${l}`, DataType.FLOAT, ['batch_size', NH, 'present_length', HS]);
    g.output(`present_value.${l}`, DataType.FLOAT, ['batch_size', NH, 'present_length', HS]);
  }
  const opsets = gpt2Opsets(OPSET, options).filter((o) => o.domain !== MS_DOMAIN);
  return g.model([...opsets, { domain: MS_DOMAIN, version: 1 }], { model_type: 'gpt2', ...quantizationMetadata(options) });
}

/** The same cache contents in every layout: a deterministic value per (layer, key|value, row, head, position, dim). */
function cacheValue(l: number, kv: number, b: number, h: number, t: number, d: number): number {
  return Math.sin(l * 1.3 + kv * 2.1 + b * 0.7 + h * 0.37 + t * 0.011 + d * 0.29) * 0.5;
}

/** Per layout: every timed step's milliseconds, per case; and the first step's logits at B=1, P=128 (64 values). */
type ChildResult = Record<Layout, { stepMs: number[][]; probe: number[] }>;

async function measure(files: Record<Layout, string>): Promise<ChildResult> {
  const result = {} as ChildResult;
  const sessions = {} as Record<Layout, ort.InferenceSession>;
  for (const layout of LAYOUTS) {
    // Without spinning: four sessions in one process each keep their own intra-op threads, and spinning idle
    // ones would take the cores from whichever session is running.
    sessions[layout] = await ort.InferenceSession.create(files[layout], { intraOpNumThreads: threads, graphOptimizationLevel: 'all', extra: { session: { intra_op: { allow_spinning: '0' } } } });
    result[layout] = { stepMs: CASES.map(() => []), probe: [] };
  }
  for (const [caseIndex, { B, P }] of CASES.entries()) {
    const stepper = Object.fromEntries(LAYOUTS.map((layout) => [layout, stepperFor(sessions[layout], layout, B, P)])) as Record<Layout, (p: number) => Promise<Float32Array>>;
    for (const layout of LAYOUTS) {
      const first = await stepper[layout](P); // warm-up: first runs allocate and pick kernels
      if (caseIndex === 0) result[layout].probe = Array.from(first.subarray(0, 64));
      await stepper[layout](P + 1);
    }
    for (let i = 0; i < steps; i++) {
      for (const layout of LAYOUTS) {
        const start = performance.now();
        await stepper[layout](P + 2 + i);
        result[layout].stepMs[caseIndex].push(performance.now() - start);
      }
    }
  }
  for (const layout of LAYOUTS) await sessions[layout].release();
  return result;
}

/** One layout's decode step at batch B from past P on: the feeds, the run and the server's side of it (keeping the new rows). */
function stepperFor(session: ort.InferenceSession, layout: Layout, B: number, P: number): (p: number) => Promise<Float32Array> {
  const cap = P + steps + 2; // room for the warm-up and timed steps
  const i64 = (xs: ArrayLike<number>, dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(Array.from(xs), BigInt), dims);
  // Every layout starts from the same P cached positions; `p` grows by one each step.
  const headsSlab = () => Array.from({ length: L * 2 }, (_, i) => {
    const slab = new Float32Array(B * NH * cap * HS);
    for (let b = 0; b < B; b++) for (let h = 0; h < NH; h++) for (let t = 0; t < P; t++) for (let d = 0; d < HS; d++) slab[((b * NH + h) * cap + t) * HS + d] = cacheValue(i >> 1, i & 1, b, h, t, d);
    return slab;
  });
  let slabs: Float32Array[];
  if (layout === 'time-major') {
    slabs = Array.from({ length: L * 2 }, (_, i) => {
      const slab = new Float32Array(cap * B * C);
      for (let t = 0; t < P; t++) for (let b = 0; b < B; b++) for (let h = 0; h < NH; h++) for (let d = 0; d < HS; d++) slab[(t * B + b) * C + h * HS + d] = cacheValue(i >> 1, i & 1, b, h, t, d);
      return slab;
    });
  } else {
    slabs = headsSlab();
  }
  let present: Float32Array[] = layout === 'mha present' ? slabs.map((s) => compact(s, B, cap, P)) : [];
  const gqaTensors = layout === 'gqa shared' ? slabs.map((s) => new ort.Tensor('float32', s, [B, NH, cap, HS])) : [];
  const ids = i64(Array.from({ length: B }, (_, b) => (b * 7919 + 13) % CONFIG.vocabSize), [B, 1]);
  const step = async (p: number): Promise<Float32Array> => {
    const feeds: Record<string, ort.Tensor> = { input_ids: ids, position_ids: i64(Array<number>(B).fill(p), [B, 1]), logits_positions: i64([-1], [1]) };
    let fetches: Record<string, ort.Tensor | null> | undefined;
    if (layout === 'heads') {
      const mask = new BigInt64Array(B * (cap + 1));
      for (let b = 0; b < B; b++) {
        mask.fill(1n, b * (cap + 1), b * (cap + 1) + p);
        mask[b * (cap + 1) + cap] = 1n;
      }
      feeds.attention_mask = new ort.Tensor('int64', mask, [B, cap + 1]);
      for (let l = 0; l < L; l++) {
        feeds[`past_key.${l}`] = new ort.Tensor('float32', slabs[2 * l], [B, NH, cap, HS]);
        feeds[`past_value.${l}`] = new ort.Tensor('float32', slabs[2 * l + 1], [B, NH, cap, HS]);
      }
    } else if (layout === 'time-major') {
      feeds.attention_mask = i64(Array<number>(B * (p + 1)).fill(1), [B, p + 1]);
      for (let l = 0; l < L; l++) {
        feeds[`past_key.${l}`] = new ort.Tensor('float32', slabs[2 * l].subarray(0, p * B * C), [p, B, C]);
        feeds[`past_value.${l}`] = new ort.Tensor('float32', slabs[2 * l + 1].subarray(0, p * B * C), [p, B, C]);
      }
    } else if (layout === 'gqa shared') {
      feeds.attention_mask = i64(Array<number>(B * (p + 1)).fill(1), [B, p + 1]);
      feeds.seqlens_k = new ort.Tensor('int32', Int32Array.from({ length: B }, () => p), [B]);
      feeds.total_sequence_length = new ort.Tensor('int32', Int32Array.of(p + 1), []);
      fetches = { logits: null };
      for (let l = 0; l < L; l++) {
        feeds[`past_key.${l}`] = fetches[`present_key.${l}`] = gqaTensors[2 * l];
        feeds[`past_value.${l}`] = fetches[`present_value.${l}`] = gqaTensors[2 * l + 1];
      }
    } else {
      feeds.attention_mask = i64(Array<number>(B * (p + 1)).fill(1), [B, p + 1]);
      for (let l = 0; l < L; l++) {
        feeds[`past_key.${l}`] = new ort.Tensor('float32', present[2 * l], [B, NH, p, HS]);
        feeds[`past_value.${l}`] = new ort.Tensor('float32', present[2 * l + 1], [B, NH, p, HS]);
      }
    }
    const out = fetches ? await session.run(feeds, fetches) : await session.run(feeds);
    // The server's side of the step: keep the new rows.
    if (layout === 'heads') {
      for (let l = 0; l < L; l++) {
        for (const [j, name] of [`new_key.${l}`, `new_value.${l}`].entries()) {
          const rows = out[name].data as Float32Array; // [B, NH, 1, HS]
          const slab = slabs[2 * l + j];
          for (let bh = 0; bh < B * NH; bh++) for (let d = 0; d < HS; d++) slab[(bh * cap + p) * HS + d] = rows[bh * HS + d];
        }
      }
    } else if (layout === 'time-major') {
      for (let l = 0; l < L; l++) {
        slabs[2 * l].set(out[`new_key.${l}`].data as Float32Array, p * B * C);
        slabs[2 * l + 1].set(out[`new_value.${l}`].data as Float32Array, p * B * C);
      }
    } else if (layout === 'mha present') {
      present = Array.from({ length: 2 * L }, (_, i) => out[`${i & 1 ? 'present_value' : 'present_key'}.${i >> 1}`].data as Float32Array);
    }
    return out.logits.data as Float32Array;
  };
  return step;
}

/** `[B, NH, cap, HS]` -> `[B, NH, P, HS]`: the first P positions of each row and head. */
function compact(slab: Float32Array, B: number, cap: number, P: number): Float32Array {
  const out = new Float32Array(B * NH * P * HS);
  for (let bh = 0; bh < B * NH; bh++) out.set(slab.subarray(bh * cap * HS, (bh * cap + P) * HS), bh * P * HS);
  return out;
}


if (values.child !== undefined) {
  process.stdout.write(`${JSON.stringify(await measure(JSON.parse(values.child) as Record<Layout, string>))}\n`);
} else {
  const dtype = values.dtype as 'fp32' | 'q8' | 'q4';
  if (!['fp32', 'q8', 'q4'].includes(dtype)) throw new Error(`--dtype ${dtype}: expected fp32, q8 or q4`);
  const rounds = Number(values.rounds);
  const dir = await mkdtemp(join(tmpdir(), 'bench-attention-'));
  try {
    process.stderr.write(`building GPT-2 124M (random weights, ${dtype}) in ${LAYOUTS.length} cache layouts into ${dir} ...\n`);
    const weights = initGpt2Weights(CONFIG, 1);
    const quantized = dtype === 'fp32' ? undefined : quantizeGpt2Weights(CONFIG, weights, defaultQuantizeSpec(dtype));
    const options: Gpt2GraphOptions = quantized ? { quantized } : {};
    const graphs: Record<Layout, ModelProto> = {
      'time-major': buildGpt2ServerDecoder(CONFIG, weights, { ...options, layout: 'time-major' }),
      heads: buildGpt2ServerDecoder(CONFIG, weights, { ...options, layout: 'heads' }),
      'gqa shared': buildFusedAttentionDecoder(weights, 'gqa', options),
      'mha present': buildFusedAttentionDecoder(weights, 'mha', options),
    };
    const files = {} as Record<Layout, string>;
    for (const layout of LAYOUTS) {
      files[layout] = join(dir, `${layout.replace(' ', '-')}.onnx`);
      await writeOnnxModel(files[layout], graphs[layout]);
    }
    const script = fileURLToPath(import.meta.url);
    const results: ChildResult[] = [];
    for (let r = 0; r < rounds; r++) {
      const args = [...process.execArgv, script, '--child', JSON.stringify(files), '--steps', String(steps), '--threads', String(threads)];
      const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      results.push(JSON.parse(out.trim().split('\n').at(-1) as string) as ChildResult);
      process.stderr.write(`round ${r + 1}/${rounds} measured\n`);
    }
    const tokPerS = (layout: Layout, i: number) => CASES[i].B / (median(results.flatMap((x) => x[layout].stepMs[i])) / 1000);
    const header = ['cache layout', ...CASES.map((c) => `B=${c.B} P=${c.P} tok/s`), 'logits max |diff| vs heads'];
    const rows = LAYOUTS.map((layout) => {
      const diff = Math.max(...results[0][layout].probe.map((v, i) => Math.abs(v - results[0].heads.probe[i])));
      return [
        layout,
        ...CASES.map((_, i) => (layout === 'time-major' ? tokPerS(layout, i).toFixed(1) : `${tokPerS(layout, i).toFixed(1)} (${(tokPerS(layout, i) / tokPerS('time-major', i)).toFixed(2)}x)`)),
        diff.toExponential(1),
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |\n`;
    process.stdout.write(
      `bench:attention: server decoder, GPT-2 124M shape, ${dtype}, one decode step with the server's feeding and appending; the layouts in turn, step by step; median of ${rounds} rounds x ${steps} steps; ${threads} onnxruntime threads; ratios vs time-major in this run\n` +
        line(header) +
        `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|\n` +
        rows.map(line).join(''),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
