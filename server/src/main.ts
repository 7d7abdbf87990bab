/**
 * The server's entry point: `npm start` (from source) or `node dist/main.js` (bundled, in the image).
 * Start-up failures print one line saying what is wrong and how to fix it, then exit 1.
 * SIGTERM (Cloud Run's stop): stop accepting, finish in-flight requests within SHUTDOWN_GRACE_MS, exit 0.
 */
import { ConfigError, parseConfig } from './config.js';
import { ModelLoadError } from './engine/errors.js';
import { DefaultModelError, ModelStartError } from './service/open-models.js';
import { startMimicbotServer, type RunningModel } from './start-server.js';
import { TokenizerFolderError } from './text/errors.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const started = performance.now();
  const server = await startMimicbotServer(config, { logError: log, warmUp: true });
  // Handlers first: once "ready" is printed, a SIGTERM must find them.
  const stop = (signal: string) => {
    log(`${signal}: finishing in-flight requests (up to ${config.shutdownGraceMs} ms)`);
    server.shutdown().then(
      ({ cutOff }) => {
        log(cutOff ? 'grace period over: cut remaining connections; exiting' : 'all requests finished; exiting');
        process.exit(0);
      },
      (error: unknown) => {
        log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  for (const model of server.models) if (model.cardProblem) log(`${model.id}: model card ignored: ${model.cardProblem}`);
  // No secrets here: only whether auth is on.
  log(
    `mimicbot server ready on port ${server.port} in ${Math.round(performance.now() - started)} ms: ` +
      // One model: the line as it always was; several: each prefixed with its id.
      `${server.models.map((model) => (server.models.length > 1 ? `${model.id}: ` : '') + describeModel(model)).join('; ')}; ` +
      (server.models.length > 1 ? `default model ${server.models.find((m) => m.engine === server.engine)?.id}; ` : '') +
      `REQUEST_TOKEN ${config.requestToken ? 'set' : 'unset'}, API_KEYS ${config.apiKeys.length > 0 ? `${config.apiKeys.length} set` : 'unset'}`,
  );
}

main().catch((error: unknown) => {
  log(`mimicbot server cannot start: ${startupMessage(error)}`);
  process.exit(1);
});

function describeModel({ engine: { model: m }, description }: RunningModel): string {
  return (
    `${m.graph.file} (${m.graph.dtype}, ${m.nLayer} layers, ${m.nEmbd} channels, context ${m.nPositions}, batch ${m.maxBatchSize}` +
    `${m.canScorePrompt ? '' : ', cannot score prompts'})${description ? `; "${description}"` : ''}`
  );
}

function startupMessage(error: unknown): string {
  if (error instanceof ConfigError) return `${error.message} (fix the environment variable)`;
  if (error instanceof DefaultModelError) return error.message;
  // A model in a folder of models: its subfolder's name, then what is wrong with it.
  if (error instanceof ModelStartError) return `MODEL_DIR's model ${error.modelId}: ${startupMessage(error.cause)}`;
  if (error instanceof ModelLoadError || error instanceof TokenizerFolderError) return `${error.message} (MODEL_DIR)`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'the port is already in use: set PORT to a free port or stop the other process';
  if (code === 'EACCES') return 'no permission to listen on that port: set PORT above 1024';
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
