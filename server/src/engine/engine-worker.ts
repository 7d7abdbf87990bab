/**
 * The engine worker's entry point: loads the model, runs the scheduler, and relays messages. Everything
 * that blocks (onnxruntime's session.run) happens on this thread, so the main thread stays free for HTTP.
 *
 * Bundled deployments build this file as its own esbuild entry point, `engine-worker.js`, next to the
 * bundle that imports `createEngine` (see engine.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from './errors.js';
import { loadDecoder } from './onnx-decoder.js';
import { createOutbox } from './outbox.js';
import { Scheduler } from './scheduler.js';
import type { ToWorker, WorkerOptions } from './worker-protocol.js';

const port = parentPort!;
const options = workerData as WorkerOptions;
/**
 * What the worker says within one tick (a step's token for every row, a batch's first tokens) goes out as one
 * message, and a stream's later tokens wait up to the interval for company: each message wakes the main
 * thread, which competes with onnxruntime for the cores (outbox.ts).
 */
const { post } = createOutbox({ intervalMs: options.streamIntervalMs, send: (message) => port.postMessage(message) });

async function main(): Promise<void> {
  let decoder;
  try {
    decoder = await loadDecoder(options.modelDir, { intraOpNumThreads: options.intraOpNumThreads, dtype: options.dtype, maxBatchRows: options.maxBatchSize });
    // Warm up: the first run allocates and plans; do it before saying ready.
    const warm = await decoder.prefill([[decoder.config.eosTokenId]]);
    await decoder.step(warm.batch, [decoder.config.eosTokenId]);
  } catch (error) {
    post({ type: 'load-failed', error: serializeError(error) });
    return;
  }
  const { config, layout, graphFile, graph } = decoder;
  const scheduler = new Scheduler(
    decoder,
    {
      onStart: (id) => post({ type: 'started', id }),
      onPromptScored: (id, scores) => post({ type: 'prompt-scored', id, scores }),
      onToken: (id, token, logprob) => post(logprob ? { type: 'token', id, token, logprob } : { type: 'token', id, token }),
      onDone: (id, result) => post({ type: 'done', id, result }),
      onError: (id, error) => post({ type: 'failed', id, error: serializeError(error) }),
    },
    { maxBatchSize: options.maxBatchSize },
  );
  port.on('message', (message: ToWorker) => {
    if (message.type === 'generate') scheduler.submit(message.id, message.request);
    else if (message.type === 'abort') scheduler.abort(message.id);
    else if (message.type === 'close') {
      void scheduler
        .close()
        .then(() => decoder.release())
        .finally(() => post({ type: 'closed' }));
    }
  });
  post({
    type: 'ready',
    model: {
      ...config,
      graphFile,
      graph,
      contract: layout.contract,
      hasPositionIds: layout.hasPositionIds,
      maxBatchSize: scheduler.maxBatchSize,
      canScorePrompt: decoder.canScorePrompt,
    },
  });
}

void main();
