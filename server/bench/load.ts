/** The load the benchmark puts on both sides, and what it records per request. */

export interface Workload {
  prompt: string;
  /** New tokens for the single-stream run. */
  singleTokens: number;
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
