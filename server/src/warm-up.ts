/**
 * The requests the server sends itself, over its own socket, before it says it is ready (`/readyz` answers 503
 * "warming up" until they are done, so Cloud Run's startup probe holds traffic back).
 *
 * Why: the engine's own warm-up step (engine-worker.ts) readies onnxruntime, but the first HTTP request still
 * paid for the first use of everything around it: Node loads parts of its HTTP and web-stream code on first use,
 * the tokenizer thread encodes for the first time, and V8 compiles the hot paths on background threads, which on
 * two cores compete with onnxruntime. Measured on GPT-2 124M q4 (2 vCPUs, the client's own first-use costs paid
 * beforehand): the first request, a 4-token probe, had its first token in 82-88 ms without these requests and
 * 35-75 ms with them. They cost their time once, at start-up, instead of to the first user after every cold start.
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
