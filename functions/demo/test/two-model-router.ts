/**
 * Stands in for one model server serving two models until the server serves several itself (issue 12,
 * item 1): it answers `/v1/models` with both, under the names given and each with its own server's
 * description, and passes each `/v1/completions` through, byte for byte and streamed, to the server its
 * `model` names; an unknown model gets OpenAI's 404 `model_not_found`. Behind it, two real servers.
 */
import { createServer, type Server } from 'node:http';

export interface TwoModelRouter {
  url: string;
  stop(): Promise<void>;
}

export async function startTwoModelRouter(upstreams: Record<string, string>): Promise<TwoModelRouter> {
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      try {
        if (req.method === 'GET' && req.url === '/v1/models') {
          const data = await Promise.all(
            Object.entries(upstreams).map(async ([id, url]) => {
              const listed = (await (await fetch(`${url}/v1/models`)).json()) as { data: object[] };
              return { ...listed.data[0], id };
            }),
          );
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
          return;
        }
        const model = (JSON.parse(raw || '{}') as { model?: string }).model;
        const target = model === undefined ? undefined : upstreams[model];
        if (!target) {
          const error = { message: `The model '${model}' does not exist`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' };
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
          return;
        }
        const upstream = await fetch(`${target}${req.url}`, {
          method: req.method,
          headers: { 'content-type': 'application/json', accept: req.headers.accept ?? 'application/json' },
          body: raw,
        });
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
        res.end();
      } catch (error) {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: (error as Error).message } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
