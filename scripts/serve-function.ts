/**
 * Serves one function locally through functions-framework's own server (`getTestServer` builds it with
 * `getServer`, the one its CLI runs: the same body parsers and `req.rawBody`), bound to 127.0.0.1 rather than
 * every interface.
 *
 *   tsx scripts/serve-function.ts <slack|twitter|demo|discord> [port]     (port defaults to $PORT, then 8080)
 *
 * The function reads its config from the environment as it would when deployed. Prints
 * "listening on http://127.0.0.1:<port>/" once it accepts requests; SIGINT/SIGTERM close it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getTestServer } from '@google-cloud/functions-framework/testing';

const [name, portArg] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: tsx scripts/serve-function.ts <function name> [port]');
  process.exit(2);
}
const entry = resolve(import.meta.dirname, '..', 'functions', name, 'src', 'index.ts');
if (!existsSync(entry)) {
  console.error(`${entry}: no such function entry point`);
  process.exit(2);
}
const port = Number(portArg ?? process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`port: must be an integer from 0 to 65535, got ${JSON.stringify(portArg ?? process.env.PORT)}`);
  process.exit(2);
}

try {
  await import(pathToFileURL(entry).href);
} catch (error) {
  console.error(`${name}: failed to load: ${(error as Error).message}`);
  process.exit(1);
}
const server = getTestServer(name);
server.listen(port, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`listening on http://127.0.0.1:${address.port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
