import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { clientErrorResponse } from './client-error.js';
import { errorResponse, internal, malformedRequest, rawErrorResponse } from './errors.js';

export interface ListenOptions {
  port: number;
  host: string;
  /** BODY_TIMEOUT_MS: the app answers a stalled body with 408 after it; Node's own timeouts back it up. */
  bodyTimeoutMs: number;
  /** Each answer given for a request the app never saw (parser errors), by status. */
  onClientError?: (status: number) => void;
}

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
export async function listen(app: Pick<Hono, 'fetch'>, options: ListenOptions): Promise<Listening> {
  let draining = false;
  /** Responses that started before draining began. */
  const inFlight = new Set<ServerResponse>();
  const handle = getRequestListener(app.fetch, {
    // The request target or Host header could not become a URL (a missing Host, a backslash in the path).
    errorHandler: (error) =>
      errorResponse(error instanceof Error && error.name === 'RequestError' ? malformedRequest(`the request cannot be read: ${error.message}`) : internal()),
  });
  const server = createServer(
    {
      // A client has BODY_TIMEOUT_MS for its headers and (read by the app, which answers 408 in JSON) its
      // body; Node's own check, a second later, covers bodies nobody reads. Node's defaults are 60 s and 300 s.
      headersTimeout: options.bodyTimeoutMs,
      requestTimeout: options.bodyTimeoutMs + 1_000,
      // How often Node looks for requests past those timeouts (default 30 s, which would triple a 10 s limit).
      connectionsCheckingInterval: 1_000,
      // Node would answer a missing Host itself with an empty 400; the adapter refuses it, in JSON, instead.
      requireHostHeader: false,
    },
    (request: IncomingMessage, response: ServerResponse) => {
      if (draining) {
        // Connection: close, and the socket closes once this response is written.
        response.shouldKeepAlive = false;
      } else {
        inFlight.add(response);
        response.once('close', () => inFlight.delete(response));
        response.once('finish', () => {
          inFlight.delete(response);
          // A response that was already under way at SIGTERM: its connection closes as soon as it is idle,
          // rather than at the end of the keep-alive timeout or the grace period.
          if (draining) setImmediate(() => server.closeIdleConnections());
        });
      }
      void handle(request, response);
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const answer = clientErrorResponse(error);
    // As Node does: answer only when no response of this socket's has started to go out.
    const current = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (answer === undefined || !socket.writable || current?.headersSent) {
      socket.destroy();
      return;
    }
    options.onClientError?.(answer.status);
    socket.end(rawErrorResponse(answer), () => socket.destroy());
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    drain: (graceMs) =>
      new Promise((resolvePromise) => {
        draining = true;
        // Those that have not sent their headers yet can still say Connection: close.
        for (const response of inFlight) if (!response.headersSent) response.shouldKeepAlive = false;
        let cutOff = false;
        const timer = setTimeout(() => {
          cutOff = true;
          server.closeAllConnections();
        }, graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolvePromise({ cutOff });
        });
        // Kept-alive connections with nothing in flight would otherwise hold close() open.
        server.closeIdleConnections();
      }),
  };
}
