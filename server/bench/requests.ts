/**
 * `npm run bench:requests -w server`: one stream's requests in a row, each with its time and the page faults the
 * server took during it. The server, bundled as the image runs it, serves the 124M bench model (q4 unless
 * --dtype) once per environment variant given (`--env STREAM_INTERVAL_MS=0 --env STREAM_INTERVAL_MS=20`), the
 * variants alternating over --rounds so a busy neighbour slows them alike. The client is warmed on a local
 * stand-in first, so the first request's figures are the server's. Then a 4-token probe and --requests
 * streamed requests of --tokens new tokens (greedy).
 *
 * What it shows: the first request after a start against the ones after it (first-use costs: a page's first
 * touch is ~20 us on these VMs), and what a setting does to one stream's speed.
 * Options: --dtype q4, --requests 4, --tokens 128, --rounds 3, --env NAME=VALUE (repeatable; none: the defaults).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphDtype } from '@mimicbot/model-format';
import { buildServer, SERVER_NODE_FLAGS } from '../scripts/build.js';
import { BENCH_MODEL_DIR, ensureBenchModel } from './bench-model.js';
import { streamedCompletion } from './http-client.js';
import { readyPort } from './ready-port.js';

const { values: args } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'q4' },
    requests: { type: 'string', default: '4' },
    tokens: { type: 'string', default: '128' },
    rounds: { type: 'string', default: '3' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const dtype = args.dtype as GraphDtype;
const requests = Number(args.requests);
if (!(requests >= 2)) throw new Error(`--requests must be at least 2 (the first against the ones after it), got ${args.requests}`);
const tokens = Number(args.tokens);
const variants: Record<string, string>[] = args.env!.length === 0 ? [{}] : args.env!.map(parseEnvPair);

function parseEnvPair(pair: string): Record<string, string> {
  const at = pair.indexOf('=');
  if (at < 1) throw new Error(`--env takes NAME=VALUE, got "${pair}"`);
  return { [pair.slice(0, at)]: pair.slice(at + 1) };
}
const OUT_DIR = join(BENCH_MODEL_DIR, '..', 'bench-requests-dist');
const PROMPT = 'The quick brown fox jumps over the lazy dog, and then it writes a tweet about';
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Minor page faults of every thread of `pid` so far (/proc/<pid>/stat field 10). */
async function minorFaults(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
}


/** The client's own first-use costs (fetch, stream reading, JSON) paid against a local stand-in, not the server. */
async function warmClient(): Promise<void> {
  const standIn = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < tokens; i++) res.write(`data: ${JSON.stringify({ choices: [{ text: 'x' }] })}\n\n`);
    res.end(`data: ${JSON.stringify({ choices: [], usage: { completion_tokens: tokens } })}\n\ndata: [DONE]\n\n`);
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const { port } = standIn.address() as { port: number };
  for (let i = 0; i < 3; i++) await streamedCompletion(`http://127.0.0.1:${port}`, 'x', PROMPT, tokens);
  standIn.close();
}

interface RequestFigures {
  ms: number;
  faults: number;
}

async function measure(env: Record<string, string>): Promise<RequestFigures[]> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(OUT_DIR, 'main.js')], {
    env: { ...process.env, MODEL_DIR: BENCH_MODEL_DIR, MODEL_DTYPE: dtype, PORT: '0', CACHE_MAX_ENTRIES: '0', MAX_NEW_TOKENS: String(tokens), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = `http://127.0.0.1:${await readyPort(child)}`;
    const model = ((await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] }).data[0].id;
    await streamedCompletion(url, model, PROMPT, 4);
    const figures: RequestFigures[] = [];
    for (let i = 0; i < requests; i++) {
      const before = await minorFaults(child.pid!);
      const timing = await streamedCompletion(url, model, PROMPT, tokens);
      figures.push({ ms: timing.totalMs, faults: (await minorFaults(child.pid!)) - before });
    }
    return figures;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function main(): Promise<void> {
  await ensureBenchModel([dtype]);
  log('bundling the server with esbuild');
  await buildServer(OUT_DIR);
  await warmClient();
  const label = (env: Record<string, string>) => Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ') || 'defaults';
  const results = new Map<string, RequestFigures[][]>(variants.map((v) => [label(v), []]));
  for (let round = 1; round <= Number(args.rounds); round++) {
    for (const env of variants) {
      const figures = await measure(env);
      results.get(label(env))!.push(figures);
      log(`round ${round}, ${label(env)}: ${figures.map((f) => `${Math.round(f.ms)} ms (${f.faults} faults)`).join(', ')}`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(`\n${tokens} new tokens per request, ${dtype}, ${requests} requests after a 4-token probe; medians over ${args.rounds} rounds`);
  console.log('| variant | request 1 ms | request 1 page faults | later requests ms | later requests page faults | tokens/s, later |');
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const [name, rounds] of results) {
    const first = rounds.map((r) => r[0]);
    const later = rounds.flatMap((r) => r.slice(1));
    const laterMs = median(later.map((f) => f.ms));
    console.log(`| ${name} | ${Math.round(median(first.map((f) => f.ms)))} | ${median(first.map((f) => f.faults))} | ${Math.round(laterMs)} | ${median(later.map((f) => f.faults))} | ${((tokens / laterMs) * 1000).toFixed(1)} |`);
  }
}

await main();
