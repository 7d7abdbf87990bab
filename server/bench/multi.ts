/**
 * `npm run bench:multi -w server`: how two models share the CPU. One server serves a folder of two model
 * folders, `a` and `b` (links to the 124M bench model, so both do the same work); model A is flooded
 * with 16 concurrent streams, and model B's single stream is timed (time to first token, tokens/s)
 * against B alone, in the same run. Each model has its own engine worker thread (what the server does);
 * it is measured with THREADS (onnxruntime threads per engine) at each value of --threads.
 *
 * The alternative, one scheduler over both sessions on one thread, is measured on the decoders directly:
 * it would alternate A's batch-of-16 step and B's single step, so B waits for A's step before each of its
 * own; the loop below does exactly that and times B's tokens.
 *
 * Options: --dtype fp32|q8|q4 (q4: what the server serves by default), --tokens N per B request (64),
 * --rounds N (B's requests per measurement, 3; the median is reported), --threads (one per CPU),1 (onnxruntime threads
 * per engine, each setting measured), --flood N (A's concurrent streams, 16).
 */
import { mkdir, rm, symlink } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphDtype } from '@mimicbot/model-format';
import { parseConfig } from '../src/config.js';
import { loadDecoder, type BatchDecoder } from '../src/engine/onnx-decoder.js';
import { startMimicbotServer } from '../src/start-server.js';
import { BENCH_MODEL_DIR, ensureBenchModel } from './bench-model.js';
import { streamedCompletion } from './http-client.js';
import type { RequestTiming } from './load.js';

const { values: args } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'q4' },
    tokens: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string', default: `${availableParallelism()},1` },
    flood: { type: 'string', default: '16' },
  },
});
const dtype = args.dtype as GraphDtype;
const tokens = Number(args.tokens);
const rounds = Number(args.rounds);
const flood = Number(args.flood);
const PROMPT = 'The quick brown fox jumps over the lazy dog, and then it writes a tweet about';
const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

interface BFigures {
  ttftMs: number;
  tps: number;
}

/** B's single stream, `rounds` times, median of each figure. Decode speed excludes the first token's wait. */
async function timeB(url: string): Promise<BFigures> {
  const runs: RequestTiming[] = [];
  for (let i = 0; i < rounds; i++) runs.push(await streamedCompletion(url, 'b', `${PROMPT} ${i}`, tokens));
  return {
    ttftMs: median(runs.map((r) => r.ttftMs)),
    tps: median(runs.map((r) => ((r.tokens - 1) / (r.totalMs - r.ttftMs)) * 1000)),
  };
}

/** Keeps `flood` streams running on model A until `stop` resolves; returns A's tokens/s meanwhile. */
async function floodA(url: string, stop: Promise<void>): Promise<number> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const started = performance.now();
  let generated = 0;
  await Promise.all(
    Array.from({ length: flood }, async (_, i) => {
      for (let j = 0; !stopped; j++) {
        // Not `generated += await ...`: that reads `generated` before the await and loses the other streams' tokens.
        const { tokens: produced } = await streamedCompletion(url, 'a', `${PROMPT} ${i}.${j}`, 64);
        generated += produced;
      }
    }),
  );
  return (generated / (performance.now() - started)) * 1000;
}

async function serverScenario(folder: string, threads: number) {
  const server = await startMimicbotServer(
    parseConfig({ PORT: '0', MODEL_DIR: folder, MODEL_DTYPE: dtype, THREADS: String(threads), CACHE_MAX_ENTRIES: '0', MAX_BATCH: '16', QUEUE_SIZE: '64', REQUEST_TIMEOUT_MS: '600000' }),
    { host: '127.0.0.1' },
  );
  try {
    await streamedCompletion(server.url, 'b', PROMPT, 4); // warm the HTTP path
    const alone = await timeB(server.url);
    let release!: () => void;
    const stop = new Promise<void>((resolve) => (release = resolve));
    const aTps = floodA(server.url, stop);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let A's batch fill
    const busy = await timeB(server.url);
    release();
    return { alone, busy, aTps: await aTps };
  } finally {
    await server.shutdown();
  }
}

/** One thread alternating A's batch step and B's single step: what one scheduler over both sessions does. */
async function roundRobin(dir: string, threads: number) {
  const a = await loadDecoder(dir, { intraOpNumThreads: threads, dtype });
  const b = await loadDecoder(dir, { intraOpNumThreads: threads, dtype });
  try {
    const prompt = Array.from({ length: 16 }, (_, t) => 464 + t);
    const stepB = async (aBatch?: { decoder: BatchDecoder; state: Awaited<ReturnType<BatchDecoder['prefill']>> }) => {
      let bState = await b.prefill([prompt]);
      let aState = aBatch?.state;
      const started = performance.now();
      for (let i = 0; i < tokens; i++) {
        if (aState) aState = await a.step(aState.batch, new Array(aState.batch.size).fill(11));
        bState = await b.step(bState.batch, [11]);
      }
      return (tokens / (performance.now() - started)) * 1000;
    };
    await stepB(); // warm-up
    const alone = await stepB();
    // A prompt arriving for B while A's burst is being read waits for that whole run: one session.run
    // cannot be interrupted. That wait is the least B's time to first token can be under one scheduler.
    const prefillStarted = performance.now();
    const aState = await a.prefill(Array.from({ length: flood }, () => prompt));
    const aPrefillMs = performance.now() - prefillStarted;
    const busy = await stepB({ decoder: a, state: aState });
    return { alone, busy, aPrefillMs };
  } finally {
    await Promise.all([a.release(), b.release()]);
  }
}

async function main(): Promise<void> {
  const modelDir = await ensureBenchModel([dtype]);
  const folder = join(BENCH_MODEL_DIR, '..', 'bench-multi');
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder);
  await symlink(modelDir, join(folder, 'a'));
  await symlink(modelDir, join(folder, 'b'));
  log(`${cpus().length} CPUs (${cpus()[0]?.model}); 124M ${dtype}; A flooded with ${flood} streams; B: ${rounds} x ${tokens} tokens, median`);
  const rows: string[] = ['| how | threads per engine | B alone: TTFT ms, tok/s | B while A is flooded: TTFT ms, tok/s | B tok/s busy / alone | A tok/s meanwhile |', '|---|---|---|---|---|---|'];
  for (const threads of args.threads!.split(',').map(Number)) {
    log(`engine per model, THREADS=${threads}`);
    const { alone, busy, aTps } = await serverScenario(folder, threads);
    rows.push(`| one engine per model (server, HTTP) | ${threads} | ${alone.ttftMs.toFixed(0)}, ${alone.tps.toFixed(1)} | ${busy.ttftMs.toFixed(0)}, ${busy.tps.toFixed(1)} | ${(busy.tps / alone.tps).toFixed(2)} | ${aTps.toFixed(1)} |`);
    log(rows.at(-1)!);
  }
  for (const threads of args.threads!.split(',').map(Number)) {
    log(`one thread alternating both decoders, ${threads} threads`);
    const rr = await roundRobin(modelDir, threads);
    rows.push(
      `| one scheduler over both sessions (decoders, no HTTP) | ${threads} | -, ${rr.alone.toFixed(1)} | at least ${rr.aPrefillMs.toFixed(0)} (A's prefill), ${rr.busy.toFixed(1)} | ${(rr.busy / rr.alone).toFixed(2)} | ${(rr.busy * flood).toFixed(1)} |`,
    );
    log(rows.at(-1)!);
  }
  process.stdout.write(`${rows.join('\n')}\n`);
  await rm(folder, { recursive: true, force: true });
}

await main();
