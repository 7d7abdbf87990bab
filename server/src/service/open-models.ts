import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { ServerConfig } from '../config.js';
import { startTokenizerThread, type TokenizerThread } from '../text/tokenizer-thread.js';
import { listModelFolders } from './model-folders.js';
import { openModel, type OpenModel } from './open-model.js';

/** One model ready to serve: its engine and tokenizer, and the thread that encodes its prompts. */
export interface ServingModel extends OpenModel {
  encoder: TokenizerThread;
}

/** A model in a folder of models could not be opened; the message starts with the subfolder's name. */
export class ModelStartError extends Error {
  constructor(
    readonly modelId: string,
    cause: unknown,
  ) {
    super(`${modelId}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ModelStartError';
  }
}

/** A DEFAULT_MODEL that names no served model; start-up says which ones there are. */
export class DefaultModelError extends Error {
  constructor(defaultModel: string, served: readonly string[]) {
    super(`DEFAULT_MODEL=${defaultModel} is not among the models served (${served.join(', ')}); set it to one of them or unset it`);
    this.name = 'DefaultModelError';
  }
}

export type OpenModelsOptions = Pick<ServerConfig, 'modelDir' | 'threads' | 'modelDtype' | 'modelCacheDir' | 'maxBatch' | 'streamIntervalMs' | 'queueSize' | 'defaultModel'>;

/**
 * Every model MODEL_DIR names (service/model-folders.ts), each with its own engine worker and tokenizer
 * thread, opened one after another so start-up never holds two half-loaded models' peak memory. If one
 * fails, those already open are closed and the error names the failing subfolder (a single model folder
 * fails with its own error, as it always did).
 */
export async function openModels(options: OpenModelsOptions): Promise<{ models: ServingModel[]; isFolderOfModels: boolean }> {
  const folders = listModelFolders(options.modelDir);
  const isFolderOfModels = folders[0].dir !== resolve(options.modelDir);
  // Before any model is opened: a mistyped DEFAULT_MODEL should not cost a whole start-up to report.
  const ids = folders.map((f) => f.id);
  if (options.defaultModel !== undefined && !ids.includes(options.defaultModel)) throw new DefaultModelError(options.defaultModel, ids);
  const opened: ServingModel[] = [];
  try {
    for (const folder of folders) {
      try {
        opened.push(await openOne(folder.dir, { ...options, threads: isFolderOfModels ? threadsPerEngine(options.threads, folders.length) : options.threads }));
      } catch (error) {
        throw isFolderOfModels ? new ModelStartError(folder.id, error) : error;
      }
    }
  } catch (error) {
    await closeModels(opened);
    throw error;
  }
  return { models: opened, isFolderOfModels };
}

/**
 * THREADS=0 with several models: the CPUs split between the engines (at least one each) rather than every
 * engine taking them all. Engines that each spin a thread per CPU fight over the cores while more than one
 * is busy; split, the OS shares the cores fairly between busy engines and an idle one costs nothing
 * (server/bench/multi.ts measures both). An explicit THREADS applies to each engine as it is.
 */
export function threadsPerEngine(threads: number, engines: number, cpus = availableParallelism()): number {
  return threads > 0 ? threads : Math.max(1, Math.floor(cpus / engines));
}

export async function closeModels(models: readonly Pick<ServingModel, 'engine' | 'encoder'>[]): Promise<void> {
  await Promise.all(models.flatMap((m) => [m.engine.close(), m.encoder.close()]));
}

async function openOne(modelDir: string, options: OpenModelsOptions): Promise<ServingModel> {
  // The tokenizer thread loads while the engine does; it is closed again if the model cannot be served.
  const starting = startTokenizerThread(modelDir);
  starting.catch(() => {});
  let model: OpenModel;
  try {
    model = await openModel({ ...options, modelDir });
  } catch (error) {
    await starting.then((thread) => thread.close(), () => {});
    throw error;
  }
  try {
    return { ...model, encoder: await starting };
  } catch (error) {
    await model.engine.close();
    throw error;
  }
}
