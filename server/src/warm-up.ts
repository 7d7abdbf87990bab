/**
 * The requests the server sends itself, over its own socket, before it says it is ready (`/readyz` answers 503
 * "warming up" until they are done, so Cloud Run's startup probe holds traffic back).
 *
 * Why: the engine's own warm-up step (engine-worker.ts) readies onnxruntime, but the first HTTP requests still
 * ran slow. Measured on GPT-2 124M q4 (2 vCPUs): the first 16-token streamed request took 433 ms against 131 for
 * the second, and the first 128-token one after a 4-token probe 0.9-1.0 s against 0.62-0.68 s, the first ~30
 * steps of onnxruntime running at 10 ms instead of 4. Node loads parts of its HTTP and web-stream code on first
 * use and V8 compiles the hot paths on background threads; on two cores that work takes them from onnxruntime.
 * A hundred extra engine steps at start-up did not help; two requests through the socket did (the next
 * 128-token request: its first steps at 4 ms). They cost their time once, at start-up, instead of to the
 * first user after every cold start.
 *
 * Sampled without a seed, so the completion cache keeps nothing of them; they show in `/metrics` as requests
 * like any other (two per model).
 */

export interface WarmUpOptions {
  /** The server's own base URL. */
  url: string;
  /** Each model served, by id. */
  modelIds: readonly string[];
  /** A secret the server accepts, when auth is on. */
  secret?: string;
  /** MAX_NEW_TOKENS: the requests ask for no more. */
  maxNewTokens: number;
}

/** One streamed and one plain completion per model; a failure is returned as a line saying which, never thrown. */
export async function warmUpOverHttp(options: WarmUpOptions): Promise<string[]> {
  const problems: string[] = [];
  const headers = { 'content-type': 'application/json', ...(options.secret ? { authorization: `Bearer ${options.secret}` } : {}) };
  for (const model of options.modelIds) {
    for (const [stream, tokens] of [
      [true, 32],
      [false, 8],
    ] as const) {
      const body = { model, prompt: 'Hello', max_tokens: Math.min(tokens, options.maxNewTokens), temperature: 1, stream };
      try {
        const response = await fetch(`${options.url}/v1/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
        // Read to the end: a stream's tokens are what is being warmed.
        const text = await response.text();
        if (response.status !== 200) problems.push(`${model}: warm-up ${stream ? 'streamed ' : ''}completion answered ${response.status}: ${text.slice(0, 200)}`);
      } catch (error) {
        problems.push(`${model}: warm-up ${stream ? 'streamed ' : ''}completion failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return problems;
}
