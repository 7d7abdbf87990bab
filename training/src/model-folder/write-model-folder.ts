/**
 * Writes a model folder (docs/contracts.md): model.onnx (+ onnx/model.onnx), config.json,
 * generation_config.json, tokenizer.json, tokenizer_config.json and the model card README.md, in the format
 * @mimicbot/model-format reads. Everything is written into a hidden sibling folder first and renamed into
 * place at the end, so a failure never leaves a half-written folder.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ModelFolderError, modelCardMarkdown, toGenerationConfig, toHfConfig, writeTokenizerFiles, type ModelCardInput, type TokenizerFiles } from '@mimicbot/model-format';
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { buildGpt2Decoder } from '../onnx/gpt2-decoder.js';
import type { ModelProto } from '../onnx/onnx-proto.js';
import { writeOnnxModel, writeOptionsFor } from '../onnx/write-onnx-model.js';

export interface ModelFolderContents {
  config: Gpt2Config;
  weights: Gpt2Weights;
  tokenizer: TokenizerFiles;
}

export interface WriteModelFolderOptions {
  /** Replace an existing folder (it is swapped out only once the new one is complete). */
  overwrite?: boolean;
  /** Forwarded to writeOnnxModel: weights above this many bytes go to `model.onnx_data`. */
  externalDataThresholdBytes?: number;
  /** Further graphs written beside model.onnx, by file name (for example the server's decoder); undefined entries are skipped. */
  extraModels?: Record<string, ModelProto | undefined>;
  /** Bytes of ONNX written so far, and the total. */
  onProgress?: (written: number, total: number) => void;
  /** The model card; default: the folder's name as title and a sentence describing the shape. */
  card?: Partial<ModelCardInput>;
}

export async function writeModelFolder(dir: string, contents: ModelFolderContents, options: WriteModelFolderOptions = {}): Promise<void> {
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (exists && !options.overwrite) throw new ModelFolderError('MODEL_FOLDER_EXISTS', dir, 'already exists; choose another folder, or pass --force to replace it');
  checkTokenizerFits(contents.tokenizer, contents.config, dir);
  const model = buildGpt2Decoder(contents.config, contents.weights);

  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(join(tmp, 'onnx'), { recursive: true });
    const extra = Object.entries(options.extraModels ?? {}).filter((e): e is [string, ModelProto] => e[1] !== undefined);
    const progress = new ProgressAcrossFiles(options.onProgress, 1 + extra.length);
    const written = await writeOnnxModel(join(tmp, 'model.onnx'), model, {
      externalDataThresholdBytes: options.externalDataThresholdBytes,
      onProgress: progress.forFile(0),
    });
    // transformers.js loads onnx/model.onnx; external data must sit beside whichever file is loaded.
    for (const file of written.files) await linkOrCopy(file, join(tmp, 'onnx', basename(file)));
    for (const [i, [name, extraModel]] of extra.entries()) {
      await writeOnnxModel(join(tmp, name), extraModel, writeOptionsFor(name, { externalDataThresholdBytes: options.externalDataThresholdBytes, onProgress: progress.forFile(i + 1) }));
    }
    // transformers.js fetches external data only when the config says there is some.
    const externalData = written.externalData ? { 'transformers.js_config': { use_external_data_format: true } } : {};
    await writeJson(join(tmp, 'config.json'), { ...toHfConfig(contents.config), ...externalData });
    await writeJson(join(tmp, 'generation_config.json'), toGenerationConfig(contents.config));
    await writeTokenizerFiles(tmp, contents.tokenizer);
    const { title = basename(resolve(dir)), description = describeShape(contents.config), ...card } = options.card ?? {};
    await writeFile(join(tmp, 'README.md'), modelCardMarkdown({ ...card, title, description }));
    await moveIntoPlace(tmp, dir, exists);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

async function moveIntoPlace(tmp: string, dir: string, replace: boolean): Promise<void> {
  if (!replace) {
    await rename(tmp, dir);
    return;
  }
  const old = `${tmp}-old`;
  await rename(dir, old);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to); // file systems without hard links
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Every id the tokenizer can produce must have a row in wte. */
function checkTokenizerFits(tokenizer: TokenizerFiles, config: Gpt2Config, dir: string): void {
  const json = tokenizer.tokenizerJson as { model?: { vocab?: Record<string, number> }; added_tokens?: { id: number }[] };
  const ids = [...Object.values(json.model?.vocab ?? {}), ...(json.added_tokens ?? []).map((t) => t.id)];
  const maxId = ids.reduce((a, b) => Math.max(a, b), -1);
  if (maxId >= config.vocabSize) {
    throw new ModelFolderError('TOKENIZER_INVALID', join(dir, 'tokenizer.json'), `token id ${maxId} does not fit vocab_size ${config.vocabSize}`);
  }
}

/** The card's description when the caller gives none: what can be said from the shape alone. */
export function describeShape(config: Gpt2Config): string {
  return `A GPT-2 with ${config.nLayer} layers, ${config.nHead} heads and ${config.nEmbd} channels, a context of ${config.nPositions} tokens and a vocabulary of ${config.vocabSize}.`;
}

/** One progress total over several files written one after another. */
class ProgressAcrossFiles {
  private readonly written: number[];
  private readonly totals: number[];
  constructor(
    private readonly report: ((written: number, total: number) => void) | undefined,
    files: number,
  ) {
    this.written = Array(files).fill(0);
    this.totals = Array(files).fill(0);
  }
  forFile(i: number): (written: number, total: number) => void {
    return (written, total) => {
      this.written[i] = written;
      this.totals[i] = total;
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      this.report?.(sum(this.written), sum(this.totals));
    };
  }
}
