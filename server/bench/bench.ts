/**
 * `npm run bench`: this server (bundled like the image, over real HTTP on 127.0.0.1) against
 * transformers.js text generation, on the same model folder of random GPT-2 124M weights. Each side runs
 * in its own child process, one after the other, so each one's peak RSS is its own.
 *
 * Measures cold start to ready, single-stream tokens/s and time to first token, and aggregate tokens/s
 * with 1, 4 and 16 concurrent clients (greedy, so both sides do the same work), then prints a table with
 * the ratios. Options: --single-tokens N (128), --tokens N per concurrent request (64),
 * --concurrency 1,4,16, --dtype fp32,q8,q4 (this server once per dtype, MODEL_DTYPE; the folder is quantized
 * by the training package's quantizer on first use), --transformers-js-dtype fp32,q8 (transformers.js on the
 * same folder's onnx/model.onnx and onnx/model_quantized.onnx), --standard-graph (also run this server on
 * model.onnx, the optimum contract),
 * --rounds N (measure every side N times, alternating, and keep each side's best figures: on a shared
 * machine the load changes between sides, and alternating spreads that over all of them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { link, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { GRAPH_DTYPES, type GraphDtype } from '@mimicbot/model-format';
import { WORKER_ENTRY_POINTS } from '../scripts/build.js';
import { ensureBenchModel } from './bench-model.js';
import { streamedCompletion } from './http-client.js';
import { peakRssMb, runConcurrent, type ConcurrencyResult, type SideResult, type Workload } from './load.js';

const { values: args } = parseArgs({
  options: {
    'single-tokens': { type: 'string', default: '128' },
    tokens: { type: 'string', default: '64' },
    concurrency: { type: 'string', default: '1,4,16' },
    dtype: { type: 'string', default: 'fp32,q8,q4' },
    'transformers-js-dtype': { type: 'string', default: 'fp32,q8' },
    'standard-graph': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
  },
});
const workload: Workload = {
  // ~16 GPT-2 tokens, about a tweet's prompt.
  prompt: 'The quick brown fox jumps over the lazy dog, and then it writes a tweet about',
  singleTokens: Number(args['single-tokens']),
  concurrentTokens: Number(args.tokens),
  concurrency: args.concurrency!.split(',').map(Number),
};
const dtypes = dtypeList(args.dtype!, '--dtype');
const peerDtypes = dtypeList(args['transformers-js-dtype']!, '--transformers-js-dtype');
const log = (line: string) => process.stderr.write(`${line}\n`);

function dtypeList(value: string, flag: string): GraphDtype[] {
  const list = value.split(',').map((d) => d.trim());
  const bad = list.find((d) => !(GRAPH_DTYPES as readonly string[]).includes(d));
  if (bad !== undefined || list.length === 0) throw new Error(`${flag} takes a comma-separated list of ${GRAPH_DTYPES.join(', ')}, got "${value}"`);
  return list as GraphDtype[];
}
const OUT_DIR = new URL('../../models/bench-dist/', import.meta.url).pathname;

async function main(): Promise<void> {
  const modelDir = await ensureBenchModel([...new Set([...dtypes, ...peerDtypes])]);
  log('bundling the server and the transformers.js side with esbuild');
  await build({
    entryPoints: {
      'serve-local': 'server/bench/serve-local.ts',
      ...Object.fromEntries(Object.entries(WORKER_ENTRY_POINTS).map(([name, path]) => [name, `server/${path}`])),
      'transformers-js-side': 'server/bench/transformers-js-side.ts',
    },
    absWorkingDir: new URL('../../', import.meta.url).pathname,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: OUT_DIR,
    external: ['onnxruntime-node', '@huggingface/transformers'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });

  const measurements: SideResult[][] = [];
  for (let round = 1; round <= Number(args.rounds); round++) {
    const sides: SideResult[] = [];
    for (const dtype of dtypes) {
      log(`round ${round}: measuring mimicbot ${dtype}`);
      sides.push(await measureServer(modelDir, `mimicbot ${dtype}`, dtype));
    }
    if (args['standard-graph']) {
      log(`round ${round}: measuring mimicbot on model.onnx (optimum contract)`);
      sides.push(await measureServer(await standardOnlyFolder(modelDir), 'mimicbot (model.onnx)'));
    }
    for (const dtype of peerDtypes) {
      log(`round ${round}: measuring transformers.js ${dtype}`);
      sides.push(await measureTransformersJs(modelDir, dtype));
    }
    measurements.push(sides);
  }
  const sides = measurements[0].map((_, i) => bestOf(measurements.map((m) => m[i])));
  printTable(sides);
}

async function measureServer(modelDir: string, name: string, dtype?: GraphDtype): Promise<SideResult> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(OUT_DIR, 'serve-local.js')], {
    env: { ...process.env, MODEL_DIR: modelDir, ...(dtype ? { MODEL_DTYPE: dtype } : {}), PORT: String(port), MAX_BATCH: '16', QUEUE_SIZE: '64', MAX_NEW_TOKENS: String(Math.max(workload.singleTokens, workload.concurrentTokens)) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const ready = await firstLine(child, /^READY /);
    const coldStartMs = performance.now() - started;
    const url = ready.split(' ')[1];
    if ((await fetch(`${url}/readyz`)).status !== 200) throw new Error('/readyz is not 200 after READY');
    const model = ((await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] }).data[0].id;
    const one = (tokens: number) => () => streamedCompletion(url, model, workload.prompt, tokens);
    await one(4)();
    const single = await one(workload.singleTokens)();
    const concurrent: ConcurrencyResult[] = [];
    for (const clients of workload.concurrency) concurrent.push(await runConcurrent(clients, one(workload.concurrentTokens)));
    const rss = await peakRssMb(child.pid!);
    return {
      name,
      coldStartMs,
      singleStream: { tps: (single.tokens / single.totalMs) * 1000, ttftMs: single.ttftMs, tokens: single.tokens },
      concurrent,
      peakRssMb: rss,
      note: `HTTP /v1/completions, streamed, ${ready.split(' ')[2]}`,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

async function measureTransformersJs(modelDir: string, dtype: GraphDtype): Promise<SideResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(OUT_DIR, 'transformers-js-side.js'), modelDir, JSON.stringify(workload), dtype], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  let coldStartMs = 0;
  let result: SideResult | undefined;
  for await (const line of lines) {
    if (line === 'READY') coldStartMs = performance.now() - started;
    else if (line.startsWith('{')) result = { ...(JSON.parse(line) as Omit<SideResult, 'coldStartMs'>), coldStartMs };
  }
  if (!result) throw new Error('the transformers.js side printed no result');
  return result;
}

/** Each figure's best over the rounds: highest throughput, lowest latency; peak RSS is the highest seen. */
function bestOf(runs: SideResult[]): SideResult {
  const min = (xs: number[]) => Math.min(...xs);
  const max = (xs: number[]) => Math.max(...xs);
  const [first] = runs;
  return {
    ...first,
    coldStartMs: min(runs.map((r) => r.coldStartMs)),
    singleStream: {
      tps: max(runs.map((r) => r.singleStream.tps)),
      ttftMs: min(runs.map((r) => r.singleStream.ttftMs)),
      tokens: first.singleStream.tokens,
    },
    concurrent: first.concurrent.map((c, i) => ({
      ...c,
      aggregateTps: max(runs.map((r) => r.concurrent[i].aggregateTps)),
      meanTtftMs: min(runs.map((r) => r.concurrent[i].meanTtftMs)),
    })),
    peakRssMb: max(runs.map((r) => r.peakRssMb)),
    note: `${first.note}; best of ${runs.length} round(s)`,
  };
}

/** A folder with only the standard graph, so the server falls back to model.onnx (hard links, no copies). */
async function standardOnlyFolder(modelDir: string): Promise<string> {
  const dir = `${modelDir}-standard`;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.onnx']) await link(join(modelDir, f), join(dir, f));
  return dir;
}

function firstLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => pattern.test(line) && resolve(line));
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code} before it was ready`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/**
 * One table: a column per side, then ratios: each of this server's sides against transformers.js's first side
 * (fp32 by default) and, when transformers.js ran a quantized dtype too, this server's quantized sides against
 * that one (the fair peer: the same precision).
 */
function printTable(sides: SideResult[]): void {
  const peers = sides.filter((s) => s.name.startsWith('transformers.js'));
  const ours = sides.filter((s) => !peers.includes(s));
  const quantizedPeer = peers.find((p) => !p.name.endsWith('fp32'));
  const ratios: [SideResult, SideResult][] = [
    ...ours.map((o): [SideResult, SideResult] => [o, peers[0]]),
    ...(quantizedPeer && quantizedPeer !== peers[0] ? ours.filter((o) => /q\d$/.test(o.name)).map((o): [SideResult, SideResult] => [o, quantizedPeer]) : []),
  ];
  const fmt = (x: number, digits = 1) => x.toFixed(digits);
  const rows: [string, (s: SideResult) => number, 'higher' | 'lower', number][] = [
    ['cold start to ready (ms)', (s) => s.coldStartMs, 'lower', 0],
    [`single stream tokens/s (${workload.singleTokens} tokens)`, (s) => s.singleStream.tps, 'higher', 1],
    ['single stream time to first token (ms)', (s) => s.singleStream.ttftMs, 'lower', 0],
    ...workload.concurrency.flatMap((c, i): [string, (s: SideResult) => number, 'higher' | 'lower', number][] => [
      [`aggregate tokens/s, ${c} concurrent`, (s) => s.concurrent[i].aggregateTps, 'higher', 1],
      [`mean time to first token, ${c} concurrent (ms)`, (s) => s.concurrent[i].meanTtftMs, 'lower', 0],
    ]),
    ['peak RSS (MB)', (s) => s.peakRssMb, 'lower', 0],
  ];
  const short = (s: SideResult) => s.name.replace('transformers.js', 'tjs');
  const header = ['metric', ...sides.map((s) => s.name), ...ratios.map(([o, p]) => `${short(o)} / ${short(p)}`)];
  const table = rows.map(([label, get, better, digits]) => [
    label,
    ...sides.map((s) => fmt(get(s), digits)),
    ...ratios.map(([o, p]) => {
      const ratio = get(o) / get(p);
      const good = better === 'higher' ? ratio >= 1 : ratio <= 1;
      return `${fmt(ratio, 2)}x${good ? '' : ' (worse)'}`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(`\nGPT-2 124M shape, random weights; ${cpus()[0]?.model ?? 'CPU'}, ${availableParallelism()} CPUs; prompt ~16 tokens, greedy, ${workload.concurrentTokens} tokens per concurrent request`);
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of table) console.log(line(row));
  for (const s of sides) console.log(`- ${s.name}: ${s.note}; tokens generated: single ${s.singleStream.tokens}, concurrent ${s.concurrent.map((c) => c.tokens).join('/')}`);
}

main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
