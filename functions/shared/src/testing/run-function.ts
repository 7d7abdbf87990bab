/**
 * Runs a handler under the real functions-framework (its Express app, body parsing and error handling) on
 * a real socket at 127.0.0.1, the way `functions-framework --target=<name>` serves it, inside the test's
 * own process.
 */
import { http, type HttpFunction } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';

export interface RunningFunction {
  url: string;
  stop(): Promise<void>;
}

let registered = 0;

export async function runFunction(handler: HttpFunction): Promise<RunningFunction> {
  // Each test registers its own handler under a fresh name; the framework's registry is process-wide.
  const name = `under-test-${++registered}`;
  http(name, handler);
  const server = getTestServer(name);
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
