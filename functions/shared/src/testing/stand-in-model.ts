/**
 * A scripted stand-in for the model server's `POST /v1/completions` (JSON, or SSE when `stream` is set),
 * for the few tests that need the model to say a particular line (too long, offensive, cut off) or to be
 * slow to answer: a tiny random model cannot be made to. Every other test uses the real server
 * (model-server.ts). A request for `n` choices takes the next `n` scripted lines.
 */
import { createServer, type Server } from 'node:http';

/** A line the stand-in says: its text, and why it "stopped" ('stop' unless given). */
export type StandInLine = string | { text: string; finishReason: 'stop' | 'length' };

export interface StandInModel {
  url: string;
  readonly calls: number;
  stop(): Promise<void>;
}

export async function startStandInModel(lines: StandInLine[] = [], options: { firstByteDelayMs?: number } = {}): Promise<StandInModel> {
  let calls = 0;
  const next = () => {
    const line = lines.shift() ?? ` stand-in line ${calls}<|endoftext|>`;
    return typeof line === 'string' ? { text: line, finishReason: 'stop' } : line;
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      calls++;
      // A server that is slow to start answering (cold start, busy queue).
      if (options.firstByteDelayMs) await new Promise((resolve) => setTimeout(resolve, options.firstByteDelayMs));
      const body = JSON.parse(raw || '{}') as { stream?: boolean; n?: number };
      if (!body.stream) {
        const choices = Array.from({ length: body.n ?? 1 }, (_, index) => {
          const line = next();
          return { index, text: line.text, logprobs: null, finish_reason: line.finishReason };
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
        await new Promise((resolve) => setTimeout(resolve, 5));
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
