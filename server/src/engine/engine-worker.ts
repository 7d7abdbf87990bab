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
import { Scheduler } from './scheduler.js';
import type { FromWorker, ToWorker, WorkerOptions } from './worker-protocol.js';

const port = parentPort!;
/**
 * What the worker says within one tick (a step's token for every row, a batch's first tokens) goes out as one
 * message: at 16 rows a message per token cost the engine thread, which is also onnxruntime's, ~2 ms a step.
 */
let outbox: FromWorker[] = [];
const flush = () => {
  const messages = outbox;
  outbox = [];
  port.postMessage(messages.length === 1 ? messages[0] : ({ type: 'many', messages } satisfies FromWorker));
};
const post = (message: FromWorker) => {
  if (outbox.length === 0) queueMicrotask(flush);
  outbox.push(message);
};
const options = workerData as WorkerOptions;

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
