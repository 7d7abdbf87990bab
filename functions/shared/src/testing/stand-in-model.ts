/**
 * A scripted stand-in for the model server's `POST /v1/completions` (JSON, or SSE when `stream` is set),
 * for the few tests that need the model to say a particular line (too long, offensive) or to be slow to
 * answer: a tiny random model cannot be made to. Every other test uses the real server (model-server.ts).
 */
import { createServer, type Server } from 'node:http';

export interface StandInModel {
  url: string;
  readonly calls: number;
  stop(): Promise<void>;
}

export async function startStandInModel(texts: string[] = [], options: { firstByteDelayMs?: number } = {}): Promise<StandInModel> {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      calls++;
      // A server that is slow to start answering (cold start, busy queue).
      if (options.firstByteDelayMs) await new Promise((resolve) => setTimeout(resolve, options.firstByteDelayMs));
      const body = JSON.parse(raw || '{}') as { stream?: boolean };
      const text = texts.length > 0 ? texts.shift()! : ` stand-in line ${calls}<|endoftext|>`;
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ index: 0, text, finish_reason: 'stop' }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // One event per word, as a server streams tokens.
      for (const piece of text.match(/\s*\S+/g) ?? []) {
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: piece, finish_reason: null }] })}\n\n`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
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
