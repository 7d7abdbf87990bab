/**
 * The tokenizer thread's entry point: loads the model folder's tokenizer and encodes prompts, one message
 * at a time. Bundled deployments build this file as its own entry point, `tokenizer-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTextTokenizer } from './tokenizer.js';
import type { FromTokenizerWorker, ToTokenizerWorker, TokenizerWorkerData } from './tokenizer-protocol.js';

const port = parentPort!;
const post = (message: FromTokenizerWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const { modelDir } = workerData as TokenizerWorkerData;

try {
  const tokenizer = await loadTextTokenizer(modelDir);
  port.on('message', ({ id, text }: ToTokenizerWorker) => {
    try {
      const ids = Uint32Array.from(tokenizer.encode(text));
      post({ type: 'encoded', id, ids }, [ids.buffer]);
    } catch (error) {
      post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
    }
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
}
