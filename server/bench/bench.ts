/**
 * `npm run bench`: this server (bundled like the image, over real HTTP on 127.0.0.1) against
 * transformers.js text generation, on the same model folder of random GPT-2 124M weights. Each side runs
 * in its own child process, one after the other, so each one's peak RSS is its own.
 *
 * Measures cold start (process start to ready, and to the first token of the first request), single-stream
 * tokens/s and time to first token, and aggregate tokens/s with 1, 4 and 16 concurrent clients (greedy, so
 * both sides do the same work), then prints a table with the ratios and draws it as a chart (--chart,
 * assets/bench.svg). Options: --single-tokens N (128), --single-repeats N (3 single-stream requests in a row per round, their median kept), --tokens N per concurrent request (64),
 * --concurrency 1,4,16, --dtype fp32,q8,q4 (this server once per dtype, MODEL_DTYPE; the folder is quantized
 * by the training package's quantizer on first use), --transformers-js-dtype fp32,q8 (transformers.js on the
 * same folder's onnx/model.onnx and onnx/model_quantized.onnx), --standard-graph (also run this server, at
 * each dtype, on a folder holding only the optimum export, onnx/model*.onnx, as transformers.js's hub repos
 * do: the fast path builds the server graph from it once, before the rounds, and the rounds reuse it),
 * --rounds N (measure every side N times, alternating, and keep each side's best figures: on a shared
 * machine the load changes between sides, and alternating spreads that over all of them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { link, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { GRAPH_DTYPES, graphFile, type GraphDtype } from '@mimicbot/model-format';
import { SERVER_NODE_FLAGS, WORKER_ENTRY_POINTS } from '../scripts/build.js';
import { prepareServerGraph } from '../src/service/server-graph-cache.js';
import { writeBenchChart, type Metric } from './bench-chart.js';
import { ensureBenchModel } from './bench-model.js';
import { streamedCompletion } from './http-client.js';
import { peakRssMb, runConcurrent, singleStream, type ConcurrencyResult, type SideResult, type Workload } from './load.js';

const { values: args } = parseArgs({
  options: {
    'single-tokens': { type: 'string', default: '128' },
    'single-repeats': { type: 'string', default: '3' },
    tokens: { type: 'string', default: '64' },
    concurrency: { type: 'string', default: '1,4,16' },
    dtype: { type: 'string', default: 'fp32,q8,q4' },
    'transformers-js-dtype': { type: 'string', default: 'fp32,q8' },
    'standard-graph': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    // Relative paths from where npm was run (INIT_CWD), as MODEL_DIR's are; '' draws no chart.
    chart: { type: 'string', default: new URL('../../assets/bench.svg', import.meta.url).pathname },
  },
});
const workload: Workload = {
  // ~16 GPT-2 tokens, about a tweet's prompt.
  prompt: 'The quick brown fox jumps over the lazy dog, and then it writes a tweet about',
  singleTokens: Number(args['single-tokens']),
  singleRepeats: Number(args['single-repeats']),
  concurrentTokens: Number(args.tokens),
  concurrency: args.concurrency!.split(',').map(Number),
};
if (!Number.isInteger(workload.singleRepeats) || workload.singleRepeats < 1) throw new Error(`--single-repeats takes a whole number from 1, got "${args['single-repeats']}"`);
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

  const optimumDir = args['standard-graph'] ? await optimumFolder(modelDir) : undefined;
  if (optimumDir) {
    for (const dtype of dtypes) {
      const started = performance.now();
      const plan = await prepareServerGraph(optimumDir, { dtype, log });
      log(`optimum folder ${dtype}: server graph ${plan.outcome} in ${Math.round(performance.now() - started)} ms`);
    }
  }
  const measurements: SideResult[][] = [];
  for (let round = 1; round <= Number(args.rounds); round++) {
    const sides: SideResult[] = [];
    for (const dtype of dtypes) {
      log(`round ${round}: measuring mimicbot ${dtype}`);
      sides.push(await measureServer(modelDir, `mimicbot ${dtype}`, dtype));
    }
    for (const dtype of optimumDir ? dtypes : []) {
      log(`round ${round}: measuring mimicbot ${dtype} on the optimum-only folder`);
      sides.push(await measureServer(optimumDir!, `optimum folder ${dtype}`, dtype));
    }
    for (const dtype of peerDtypes) {
      log(`round ${round}: measuring transformers.js ${dtype}`);
      sides.push(await measureTransformersJs(modelDir, dtype));
    }
    // Each round's own figures, so the spread between rounds (this machine's noise) shows beside the best.
    for (const side of sides) log(`  ${side.name}: single ${side.singleStream.tps.toFixed(1)} tok/s, ${side.concurrent.map((c) => `${c.clients} concurrent ${c.aggregateTps.toFixed(1)}`).join(', ')} tok/s, peak RSS ${Math.round(side.peakRssMb)} MB`);
    measurements.push(sides);
  }
  const sides = measurements[0].map((_, i) => bestOf(measurements.map((m) => m[i])));
  const rows = printTable(sides);
  if (args.chart) {
    const title = `npm run bench: GPT-2 124M shape, ${cpus()[0]?.model ?? 'CPU'}, ${availableParallelism()} CPUs, load average ${loadavg()[0].toFixed(1)} at the end`;
    const chart = resolve(process.env.INIT_CWD ?? process.cwd(), args.chart);
    await writeBenchChart(chart, title, sides, rows);
    log(`wrote ${chart}`);
  }
}

async function measureServer(modelDir: string, name: string, dtype?: GraphDtype): Promise<SideResult> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(OUT_DIR, 'serve-local.js')], {
    // No completion cache: the bench repeats greedy prompts, and a cached answer would measure the cache, not the model.
    env: { ...process.env, MODEL_DIR: modelDir, ...(dtype ? { MODEL_DTYPE: dtype } : {}), PORT: String(port), MAX_BATCH: '16', QUEUE_SIZE: '64', CACHE_MAX_ENTRIES: '0', MAX_NEW_TOKENS: String(Math.max(workload.singleTokens, workload.concurrentTokens)) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const ready = await firstLine(child, /^READY /);
    const coldStartMs = performance.now() - started;
    const url = ready.split(' ')[1];
    // The first request at once (the model's id is its folder's name): cold start ends at its first token.
    const first = await streamedCompletion(url, basename(modelDir), workload.prompt, 4);
    const coldStartFirstTokenMs = coldStartMs + first.ttftMs;
    if ((await fetch(`${url}/readyz`)).status !== 200) throw new Error('/readyz is not 200 after READY');
    const model = ((await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] }).data[0].id;
    const one = (tokens: number) => () => streamedCompletion(url, model, workload.prompt, tokens);
    const single = await singleStream(workload.singleRepeats, one(workload.singleTokens));
    const concurrent: ConcurrencyResult[] = [];
    for (const clients of workload.concurrency) concurrent.push(await runConcurrent(clients, one(workload.concurrentTokens)));
    const rss = await peakRssMb(child.pid!);
    return {
      name,
      coldStartMs,
      coldStartFirstTokenMs,
      singleStream: single,
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
  let coldStartFirstTokenMs = 0;
  let result: SideResult | undefined;
  for await (const line of lines) {
    if (line === 'FIRST_TOKEN') coldStartFirstTokenMs = performance.now() - started;
    else if (line === 'READY') coldStartMs = performance.now() - started;
    else if (line.startsWith('{')) result = { ...(JSON.parse(line) as Omit<SideResult, 'coldStartMs' | 'coldStartFirstTokenMs'>), coldStartMs, coldStartFirstTokenMs };
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
    coldStartFirstTokenMs: min(runs.map((r) => r.coldStartFirstTokenMs)),
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

/**
 * The bench model as a folder transformers.js's hub repos ship: config, tokenizer and the optimum exports
 * onnx/model.onnx, onnx/model_quantized.onnx and onnx/model_q4.onnx only (hard links, no copies). Kept between
 * runs with the server graphs the fast path built in it, which a changed export would rebuild.
 */
async function optimumFolder(modelDir: string): Promise<string> {
  const dir = `${modelDir}-optimum`;
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const files = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', ...dtypes.map((d) => graphFile(d, 'standard').replace(/^model\.onnx$/, 'onnx/model.onnx'))];
  for (const f of files) if (!existsSync(join(dir, f))) await link(join(modelDir, f), join(dir, f));
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
function printTable(sides: SideResult[]): Metric[] {
  const peers = sides.filter((s) => s.name.startsWith('transformers.js'));
  const optimum = sides.filter((s) => s.name.startsWith('optimum folder'));
  const ours = sides.filter((s) => !peers.includes(s) && !optimum.includes(s));
  const quantizedPeer = peers.find((p) => !p.name.endsWith('fp32'));
  const ratios: [SideResult, SideResult][] = [
    ...ours.map((o): [SideResult, SideResult] => [o, peers[0]]),
    ...(quantizedPeer && quantizedPeer !== peers[0] ? ours.filter((o) => /q\d$/.test(o.name)).map((o): [SideResult, SideResult] => [o, quantizedPeer]) : []),
    // The fast path: a folder we did not write against our own, at the same dtype.
    ...optimum.flatMap((o): [SideResult, SideResult][] => {
      const own = ours.find((s) => s.name.endsWith(o.name.split(' ').at(-1)!));
      return own ? [[o, own]] : [];
    }),
  ];
  const fmt = (x: number, digits = 1) => x.toFixed(digits);
  const rows: Metric[] = [
    { label: 'cold start to ready (ms)', get: (s) => s.coldStartMs, better: 'lower', digits: 0 },
    { label: 'cold start to first token (ms)', get: (s) => s.coldStartFirstTokenMs, better: 'lower', digits: 0 },
    { label: `single stream tokens/s (${workload.singleTokens} tokens, median of ${workload.singleRepeats})`, get: (s) => s.singleStream.tps, better: 'higher', digits: 1 },
    { label: `single stream time to first token (ms, median of ${workload.singleRepeats})`, get: (s) => s.singleStream.ttftMs, better: 'lower', digits: 0 },
    ...workload.concurrency.flatMap((c, i): Metric[] => [
      { label: `aggregate tokens/s, ${c} concurrent`, get: (s) => s.concurrent[i].aggregateTps, better: 'higher', digits: 1 },
      { label: `mean time to first token, ${c} concurrent (ms)`, get: (s) => s.concurrent[i].meanTtftMs, better: 'lower', digits: 0 },
    ]),
    { label: 'peak RSS (MB)', get: (s) => s.peakRssMb, better: 'lower', digits: 0 },
  ];
  const short = (s: SideResult) => s.name.replace('transformers.js', 'tjs');
  const header = ['metric', ...sides.map((s) => s.name), ...ratios.map(([o, p]) => `${short(o)} / ${short(p)}`)];
  const table = rows.map(({ label, get, better, digits }) => [
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
  return rows;
}

main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
