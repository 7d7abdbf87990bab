/**
 * A scripted stand-in for the model server's `POST /v1/completions` (JSON, or SSE when `stream` is set)
 * and `GET /v1/models`, for the tests that need the model to say a particular line (too long, offensive,
 * cut off, degenerate) or to be slow to answer: a tiny random model cannot be made to. Every other test
 * uses the real server (model-server.ts). A request for `n` choices takes the next `n` scripted lines.
 *
 * Asked for `logprobs`, it answers in OpenAI's legacy format: one token per word (with the space before
 * it), each with the line's `logprob` (default -3), offsets counted from the start of the prompt as
 * OpenAI counts them. `description` is what `/v1/models` says about the model.
 */
import { createServer, type Server } from 'node:http';

/** A line the stand-in says: its text, why it "stopped" ('stop' unless given), and how likely each token is. */
export type StandInLine = string | { text: string; finishReason?: 'stop' | 'length'; logprob?: number };

export interface StandInModel {
  url: string;
  readonly calls: number;
  stop(): Promise<void>;
}

export interface StandInOptions {
  firstByteDelayMs?: number;
  /** Between streamed words (default 5 ms): longer lets a browser test see each piece arrive. */
  wordDelayMs?: number;
  /** The one-line description `/v1/models` gives; none when unset. */
  description?: string;
}

const DEFAULT_LOGPROB = -3;

function wireLogprobs(text: string, logprob: number, promptLength: number) {
  const tokens = text.match(/\s*\S+|\s+$/g) ?? [];
  const text_offset: number[] = [];
  let offset = promptLength;
  for (const token of tokens) {
    text_offset.push(offset);
    offset += token.length;
  }
  return { tokens, token_logprobs: tokens.map(() => logprob), top_logprobs: null, text_offset };
}

export async function startStandInModel(lines: StandInLine[] = [], options: StandInOptions = {}): Promise<StandInModel> {
  let calls = 0;
  const next = () => {
    const line = lines.shift() ?? ` stand-in line ${calls}<|endoftext|>`;
    const { text, finishReason = 'stop', logprob = DEFAULT_LOGPROB } = typeof line === 'string' ? { text: line } : line;
    return { text, finishReason, logprob };
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const model = { id: 'stand-in', object: 'model', created: 0, owned_by: 'tests', ...(options.description ? { description: options.description } : {}) };
        res.end(JSON.stringify({ object: 'list', data: [model] }));
        return;
      }
      calls++;
      // A server that is slow to start answering (cold start, busy queue).
      if (options.firstByteDelayMs) await new Promise((resolve) => setTimeout(resolve, options.firstByteDelayMs));
      const body = JSON.parse(raw || '{}') as { stream?: boolean; n?: number; prompt?: string; logprobs?: number };
      if (!body.stream) {
        const choices = Array.from({ length: body.n ?? 1 }, (_, index) => {
          const line = next();
          const logprobs = body.logprobs === undefined ? null : wireLogprobs(line.text, line.logprob, (body.prompt ?? '').length);
          return { index, text: line.text, logprobs, finish_reason: line.finishReason };
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'text_completion', choices }));
        return;
      }
      const line = next();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // One event per word, as a server streams tokens, then the finish reason on an empty piece.
      const event = (text: string, finishReason: string | null) =>
        `data: ${JSON.stringify({ choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }] })}\n\n`;
      for (const piece of line.text.match(/\s*\S+/g) ?? []) {
        res.write(event(piece, null));
        await new Promise((resolve) => setTimeout(resolve, options.wordDelayMs ?? 5));
      }
      res.write(event('', line.finishReason));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    get calls() {
      return calls;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
