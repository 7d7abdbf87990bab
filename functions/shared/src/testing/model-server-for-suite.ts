/**
 * One tiny model server for a whole test file: started in `beforeAll`, stopped in `afterAll`. The object it
 * returns can be held at the top of the file; its members read the running server once the hook has run.
 */
import { afterAll, beforeAll } from 'vitest';
import { startTinyModelServer, type RunningModelServer } from './model-server.js';

/** Writing the model and loading it on the real runtime takes seconds on a busy machine. */
const START_TIMEOUT_MS = 120_000;

export function tinyModelServerForSuite(env: Record<string, string> = {}, options: { seed?: number } = {}): RunningModelServer {
  let server: RunningModelServer | undefined;
  beforeAll(async () => {
    server = await startTinyModelServer(env, options);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
  });
  const running = (): RunningModelServer => {
    if (!server) throw new Error('the suite model server starts in beforeAll: use it inside a test or a later hook');
    return server;
  };
  return {
    get url() {
      return running().url;
    },
    get contextLength() {
      return running().contextLength;
    },
    completions: () => running().completions(),
    stop: () => running().stop(),
  };
}
