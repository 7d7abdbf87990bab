import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface Listening {
  server: Server;
  port: number;
  /**
   * Stops accepting connections, lets in-flight responses finish for up to `graceMs`, then cuts what is
   * left. Resolves once every connection is closed.
   */
  drain(graceMs: number): Promise<{ cutOff: boolean }>;
}

/** Serves `app` on `host:port` (port 0: any free port). */
export async function listen(app: Hono, port: number, host: string): Promise<Listening> {
  const server = await new Promise<Server>((resolvePromise, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolvePromise(s as Server)) as Server;
    s.once('error', reject);
  });
  // A client that sends headers slowly cannot hold a connection forever.
  server.headersTimeout = 30_000;
  return {
    server,
    port: (server.address() as AddressInfo).port,
    drain: (graceMs) =>
      new Promise((resolvePromise) => {
        let cutOff = false;
        const timer = setTimeout(() => {
          cutOff = true;
          server.closeAllConnections();
        }, graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolvePromise({ cutOff });
        });
        // Keep-alive connections with nothing in flight would otherwise hold close() open.
        server.closeIdleConnections();
      }),
  };
}
