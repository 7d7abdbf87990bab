/** The load the benchmark puts on both sides, and what it records per request. */

export interface Workload {
  prompt: string;
  /** New tokens for the single-stream run. */
  singleTokens: number;
  /**
   * Single-stream requests per round, one after another; their median is the figure. The first request after a
   * start pays first-use costs (page faults, JIT) on both sides, which the cold-start rows measure; one request
   * alone also swings with this shared machine's load.
   */
  singleRepeats: number;
  /** New tokens per request in the concurrent runs. */
  concurrentTokens: number;
  concurrency: number[];
}

export interface RequestTiming {
  /** ms from sending to the first generated token */
  ttftMs: number;
  totalMs: number;
  tokens: number;
}

export interface ConcurrencyResult {
  clients: number;
  tokens: number;
  wallMs: number;
  /** Tokens per second over all clients together. */
  aggregateTps: number;
  meanTtftMs: number;
}

export interface SideResult {
  name: string;
  /** Process start to ready (the server's READY line, transformers.js loaded and warmed). */
  coldStartMs: number;
  /** Process start to the first token of the first request (issue 10's definition of cold start). */
  coldStartFirstTokenMs: number;
  singleStream: { tps: number; ttftMs: number; tokens: number };
  concurrent: ConcurrencyResult[];
  peakRssMb: number;
  note: string;
}

/** The single-stream figures of `repeats` requests in a row: the median request by tokens/s, and the median time to first token. */
export async function singleStream(repeats: number, one: () => Promise<RequestTiming>): Promise<SideResult['singleStream']> {
  const timings: RequestTiming[] = [];
  for (let i = 0; i < repeats; i++) timings.push(await one());
  return medianSingleStream(timings);
}

export function medianSingleStream(timings: readonly RequestTiming[]): SideResult['singleStream'] {
  if (timings.length === 0) throw new Error('no single-stream requests');
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  return {
    tps: median(timings.map((t) => (t.tokens / t.totalMs) * 1000)),
    ttftMs: median(timings.map((t) => t.ttftMs)),
    tokens: timings[0].tokens,
  };
}

/** Runs `clients` requests at once and sums their tokens over the wall time. */
export async function runConcurrent(clients: number, one: () => Promise<RequestTiming>): Promise<ConcurrencyResult> {
  const started = performance.now();
  const timings = await Promise.all(Array.from({ length: clients }, one));
  const wallMs = performance.now() - started;
  const tokens = timings.reduce((a, t) => a + t.tokens, 0);
  return { clients, tokens, wallMs, aggregateTps: (tokens / wallMs) * 1000, meanTtftMs: timings.reduce((a, t) => a + t.ttftMs, 0) / clients };
}

/** A process's resident set from Linux's /proc (VmHWM: its peak; VmRSS: now), in MB (MiB). */
export async function peakRssMb(pid: number | 'self' = 'self', field: 'VmHWM' | 'VmRSS' = 'VmHWM'): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return kb / 1024;
}
