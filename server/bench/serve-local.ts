/**
 * The real server (config from the environment, as main.ts) bound to 127.0.0.1 for the benchmark. Bundled
 * by bench.ts with esbuild together with the engine worker, the way the image runs it.
 */
import { parseConfig } from '../src/config.js';
import { startMimicbotServer } from '../src/start-server.js';

const server = await startMimicbotServer(parseConfig(process.env), { host: '127.0.0.1', logError: (line) => process.stderr.write(`${line}\n`), warmUp: true });
process.stdout.write(`READY ${server.url} ${server.engine.model.graphFile}\n`);
process.once('SIGTERM', () => void server.shutdown().then(() => process.exit(0)));
