import { basename, resolve } from 'node:path';
import { ModelFolderError, readModelCard, type GraphDtype } from '@mimicbot/model-format';
import { createEngine, type OnnxEngine } from '../engine/engine.js';
import { ModelLoadError } from '../engine/errors.js';
import { findModelGraph } from '../engine/model-files.js';
import { loadTokenDecoder, type FolderTokenDecoder } from '../text/tokenizer.js';
import { prepareServerGraph } from './server-graph-cache.js';

export interface OpenModelOptions {
  modelDir: string;
  /** 0: one per CPU. */
  threads: number;
  /** MODEL_DTYPE; undefined: the best graph the folder offers. */
  modelDtype?: GraphDtype;
  /** MODEL_CACHE_DIR: where a read-only folder's built server graph goes. */
  modelCacheDir?: string;
  maxBatch: number;
  /** STREAM_INTERVAL_MS (engine/outbox.ts). */
  streamIntervalMs?: number;
  queueSize: number;
}

export interface OpenModel {
  engine: OnnxEngine;
  /** Decoding only: prompts are encoded on the model's tokenizer thread (open-models.ts). */
  tokenizer: FolderTokenDecoder;
  /** The folder's name, as `/v1/models` lists it. */
  modelId: string;
  /** Absolute. */
  modelDir: string;
  /** The card's one line (README.md), for `/v1/models`; absent without one. */
  description?: string;
  /** Why the card gave no description although the folder has one (bad front matter): start-up says so, and serves anyway. */
  cardProblem?: string;
}

/**
 * Everything a model folder must provide before the server takes requests: a tokenizer, an engine running
 * the graph, a vocabulary that fits, and one warm-up token so the first client does not pay for it.
 */
export async function openModel(options: OpenModelOptions): Promise<OpenModel> {
  const modelDir = resolve(options.modelDir);
  // The fast path: the folder, or the cache entry holding the server graph built from its export or checkpoint.
  const { dir: graphDir } = await prepareServerGraph(modelDir, { dtype: options.modelDtype, cacheDir: options.modelCacheDir });
  findModelGraph(graphDir, options.modelDtype); // a missing folder or graph is reported before the tokenizer files
  const tokenizer = await loadTokenDecoder(modelDir);
  const engine = await createEngine({
    modelDir: graphDir,
    intraOpNumThreads: options.threads > 0 ? options.threads : undefined,
    dtype: options.modelDtype,
    maxBatchSize: options.maxBatch,
    streamIntervalMs: options.streamIntervalMs,
    maxQueueSize: options.queueSize,
  });
  try {
    if (tokenizer.vocabSize > engine.model.vocabSize) {
      throw new ModelLoadError(
        'MODEL_CONFIG_INVALID',
        `${modelDir}: tokenizer.json has ${tokenizer.vocabSize} tokens but the model only ${engine.model.vocabSize} (config.json vocab_size). Use the tokenizer the model was trained with.`,
      );
    }
    await engine.generate({
      promptIds: [tokenizer.bosTokenId],
      maxNewTokens: 1,
      sampling: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 },
      stopTokenIds: [],
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
  return { engine, tokenizer, modelId: basename(modelDir), modelDir, ...(await describeModel(modelDir)) };
}

/** A card we cannot read costs the description, not the service. */
async function describeModel(modelDir: string): Promise<{ description?: string; cardProblem?: string }> {
  try {
    const { description } = await readModelCard(modelDir);
    return description === undefined ? {} : { description };
  } catch (error) {
    if (error instanceof ModelFolderError) return { cardProblem: error.message };
    throw error;
  }
}
