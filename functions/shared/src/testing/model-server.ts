/**
 * The real mimicbot inference server on a tiny random GPT-2 (GPT-2's tokenizer, 2 layers, 32 channels,
 * context 128), written with the training package and served on 127.0.0.1 at a free port. What it says is
 * random words, but every byte of the HTTP API (streaming, errors, 429s, auth) is the server's own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, startMimicbotServer } from '@mimicbot/server';
import { buildGpt2ServerDecoder, buildGpt2Tokenizer, initGpt2Weights, SERVER_DECODER_FILE, tinyGpt2Config, writeModelFolder } from '@mimicbot/training';

export interface RunningModelServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The model's context length in tokens: prompt + max_tokens must fit. */
  contextLength: number;
  stop(): Promise<void>;
}

/** `env` is the server's own environment (API_KEYS, QUEUE_SIZE, MAX_BATCH, ...). */
export async function startTinyModelServer(env: Record<string, string> = {}): Promise<RunningModelServer> {
  const tempDir = await mkdtemp(join(tmpdir(), 'mimicbot-functions-model-'));
  const dir = join(tempDir, 'model'); // writeModelFolder wants a folder that does not exist yet
  const config = tinyGpt2Config({ vocabSize: 50257, bosTokenId: 50256, eosTokenId: 50256, nPositions: 128 });
  const weights = initGpt2Weights(config, 3);
  await writeModelFolder(dir, { config, weights, tokenizer: buildGpt2Tokenizer() }, { extraModels: { [SERVER_DECODER_FILE]: buildGpt2ServerDecoder(config, weights) } });
  const server = await startMimicbotServer(parseConfig({ PORT: '0', MODEL_DIR: dir, THREADS: '1', ...env }), { host: '127.0.0.1' });
  return {
    url: server.url,
    contextLength: config.nPositions,
    async stop() {
      await server.shutdown();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}
