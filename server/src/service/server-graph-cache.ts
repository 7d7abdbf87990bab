/**
 * The fast path for any GPT-2 folder (issue 10, item 3). The server runs fastest on its own cache-layout graph
 * (`server_decoder*.onnx`); a folder that holds only an optimum / transformers.js export (`onnx/model.onnx`,
 * `onnx/model_quantized.onnx`, `onnx/model_q4.onnx`, `model.onnx`) or only a Hugging Face checkpoint
 * (safetensors) gets one built at start-up from its weights (training's `buildServerGraphFrom`), and kept:
 *
 * - in the folder itself, under the name an export would give it, when the folder is writable: the next start
 *   then finds it as it finds an exported one. A stamp beside it (`.<graph>.source.json`) records the source's
 *   size and mtime, so a changed export is rebuilt rather than served stale;
 * - else in `MODEL_CACHE_DIR`, in an entry named by the folder and a hash of the source's path, size and mtime
 *   (and config.json's), holding the graph and a copy of config.json: the folder the engine then loads. A
 *   changed folder hashes to a new entry. Without MODEL_CACHE_DIR a read-only folder is served as it is.
 *
 * Writes go to a temporary name in the same folder and are renamed into place, so a crash never leaves half a
 * graph under a served name. Weights the builder cannot read (another exporter's names, another quantizer's
 * ops) leave the export served as it is, with one line saying why: the fast path never stops a start.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GRAPH_CANDIDATES, graphFile, pickGraph, readModelConfig, type GraphDtype } from '@mimicbot/model-format';
import { buildServerGraphFrom, externalDataPath, OnnxModelError, SERVER_GRAPH_BUILD, writeOnnxModel, writeOptionsFor, type ServerGraphSource } from '@mimicbot/training/onnx';

export interface ServerGraphOptions {
  /** MODEL_DTYPE; undefined: the best graph the folder offers (fp32 for a checkpoint). */
  dtype?: GraphDtype;
  /** MODEL_CACHE_DIR: where graphs for read-only folders go. */
  cacheDir?: string;
  /** Progress and decisions, one line each (start-up's stderr by default). */
  log?: (line: string) => void;
}

/** What start-up learned: the folder the engine should load (the model folder, or a cache entry) and why. */
export interface ServerGraphPlan {
  dir: string;
  /** `built`: made now; `reused`: made by an earlier start; `none`: the folder is served as it is. */
  outcome: 'built' | 'reused' | 'none';
}

/** What the engine reads besides the graph; a cache entry holds copies. */
const CONFIG_FILES = ['config.json', 'generation_config.json'];

/** Files that mark a folder as a Hugging Face checkpoint (single file or shards). */
const CHECKPOINT_FILES = ['model.safetensors', 'model.safetensors.index.json'];

/** Every file a server graph may be built from: the standard-contract graphs and the checkpoints. */
const SOURCE_FILES = [...GRAPH_CANDIDATES.filter((g) => g.contract === 'standard').map((g) => g.file), ...CHECKPOINT_FILES];

/**
 * A stamp: which source a built graph came from, and what was written (a graph renamed without its stamp, or the
 * reverse, does not match): the graph file's hash (it is small: the weights are in its external data file) and
 * the data file's size.
 */
interface Stamp {
  source: string;
  size: number;
  mtimeMs: number;
  graphSha256: string;
  dataBytes: number;
  build: number;
}

type Written = Pick<Stamp, 'graphSha256' | 'dataBytes'>;

const defaultLog = (line: string) => process.stderr.write(`${line}\n`);

export async function prepareServerGraph(modelDir: string, options: ServerGraphOptions = {}): Promise<ServerGraphPlan> {
  const log = options.log ?? defaultLog;
  try {
    return await prepare(modelDir, options, log);
  } catch (error) {
    // A file that is no ONNX model at all is the engine's to report, once, as the reason start-up fails.
    if (error instanceof OnnxModelError && error.code === 'ONNX_UNREADABLE') return { dir: modelDir, outcome: 'none' };
    // Otherwise the export itself may still be servable: the engine's own checks say whether it is.
    log(`fast path: ${modelDir}: no server graph (${error instanceof Error ? error.message : String(error)}); serving the folder as it is`);
    return { dir: modelDir, outcome: 'none' };
  }
}

async function prepare(modelDir: string, options: ServerGraphOptions, log: (line: string) => void): Promise<ServerGraphPlan> {
  const wanted = await findSource(modelDir, options.dtype);
  if (!wanted) return { dir: modelDir, outcome: 'none' };
  const { target, sourceFile } = wanted;
  const sourceStat = await stat(join(modelDir, sourceFile));
  const stamp: Omit<Stamp, keyof Written> = { source: sourceFile, size: sourceStat.size, mtimeMs: sourceStat.mtimeMs, build: SERVER_GRAPH_BUILD };

  if (await stampMatches(modelDir, target, wanted.stamp, stamp)) return { dir: modelDir, outcome: 'reused' };
  const staging = await stagingIn(modelDir);
  if (staging) {
    try {
      const written = await buildInto(staging, wanted.source, modelDir, target, log, `fast path: building ${target} from ${sourceFile} in ${modelDir}`);
      // The data, then the stamp, then the graph. A crash after the data leaves the old stamp, which names the
      // source as it was, so the next start rebuilds; a crash after the stamp leaves a graph that matches it
      // (the same bytes: a graph without its weights depends only on the config) or does not (its hash).
      await writeFile(join(staging, 'stamp.json'), JSON.stringify({ ...stamp, ...written } satisfies Stamp));
      await rename(join(staging, basename(externalDataPath(target))), join(modelDir, externalDataPath(target)));
      await rename(join(staging, 'stamp.json'), join(modelDir, stampName(target)));
      await rename(join(staging, basename(target)), join(modelDir, target));
      return { dir: modelDir, outcome: 'built' };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  if (!options.cacheDir) {
    log(`fast path: ${modelDir} is read-only and MODEL_CACHE_DIR is unset, so its ${sourceFile} is served as it is; set MODEL_CACHE_DIR to a writable folder to build ${target} there`);
    return { dir: modelDir, outcome: 'none' };
  }
  return cacheEntry(modelDir, options.cacheDir, wanted, stamp, log);
}

interface Wanted {
  source: ServerGraphSource;
  /** Relative to the model folder. */
  sourceFile: string;
  /** The server graph's name for the dtype, relative to the folder it goes in. */
  target: string;
  /** The stamp beside a graph built by an earlier start (read once, here). */
  stamp?: Stamp;
}

/** What the folder would be served from, when that is not already our server graph (nor a built one still fresh). */
async function findSource(modelDir: string, dtype: GraphDtype | undefined): Promise<Wanted | undefined> {
  let picked;
  try {
    picked = pickGraph(modelDir, { dtype });
  } catch {
    // No graph of that dtype: a checkpoint still gives one; anything else is findModelGraph's error to report.
    const checkpoint = CHECKPOINT_FILES.find((f) => existsSync(join(modelDir, f)));
    if (!checkpoint || !existsSync(join(modelDir, 'config.json'))) return undefined;
    const served = dtype ?? 'fp32';
    return { source: { kind: 'safetensors', dir: modelDir, dtype: served }, sourceFile: checkpoint, target: graphFile(served, 'server') };
  }
  if (picked.contract === 'server') {
    // Ours, exported or built by an earlier start; built ones name their source, which may have changed since.
    const stamp = await readStamp(modelDir, picked.file);
    if (!stamp || !existsSync(join(modelDir, stamp.source))) return undefined;
    return { ...sourceOf(modelDir, stamp.source, picked.dtype), stamp };
  }
  // The legacy merged decoder keeps its weights inside If branches: served as it is.
  if (picked.file === 'onnx/decoder_model_merged.onnx') return undefined;
  return sourceOf(modelDir, picked.file, picked.dtype);
}

function sourceOf(modelDir: string, file: string, dtype: GraphDtype): Wanted {
  const source: ServerGraphSource = CHECKPOINT_FILES.includes(file) ? { kind: 'safetensors', dir: modelDir, dtype } : { kind: 'onnx', path: join(modelDir, file) };
  return { source, sourceFile: file, target: graphFile(dtype, 'server') };
}

function stampName(target: string): string {
  return join(dirname(target), `.${basename(target)}.source.json`);
}

/** A stamp is a few hundred bytes; anything else is not ours. */
const MAX_STAMP_BYTES = 4096;

/** The stamp beside a built graph, if there is one we wrote: bounded, and naming a source we build from (never a path out of the folder). */
async function readStamp(dir: string, target: string): Promise<Stamp | undefined> {
  const file = join(dir, stampName(target));
  try {
    if ((await stat(file)).size > MAX_STAMP_BYTES) return undefined;
    const stamp = JSON.parse(await readFile(file, 'utf8')) as Partial<Stamp>;
    return typeof stamp.source === 'string' && SOURCE_FILES.includes(stamp.source) ? (stamp as Stamp) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `stamp` (the one beside `target`, if any) says the graph there was built from exactly `wanted`. */
async function stampMatches(dir: string, target: string, stamp: Stamp | undefined, wanted: Omit<Stamp, keyof Written>): Promise<boolean> {
  if (!stamp || stamp.source !== wanted.source || stamp.size !== wanted.size || stamp.mtimeMs !== wanted.mtimeMs || stamp.build !== wanted.build) return false;
  const data = await stat(join(dir, externalDataPath(target))).catch(() => undefined);
  if (data?.size !== stamp.dataBytes) return false;
  const graph = await stat(join(dir, target)).catch(() => undefined);
  if (!graph || graph.size > MAX_HASHED_GRAPH_BYTES) return false;
  return (await sha256Of(join(dir, target))) === stamp.graphSha256;
}

/** A built graph without its weights is ~100 KB at any GPT-2 size; anything far larger was not built here. */
const MAX_HASHED_GRAPH_BYTES = 16 * 2 ** 20;

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** A fresh hidden folder inside `dir` to build in, or undefined when `dir` is not writable. */
async function stagingIn(dir: string): Promise<string | undefined> {
  const staging = join(dir, `.server-graph-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(staging);
    return staging;
  } catch (error) {
    if (['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/**
 * Builds the graph and writes it as `<staging>/<basename(target)>`, its weights beside it in external data (as
 * every server graph, `writeOptionsFor`); returns what the stamp records of them. `building` is logged once the
 * weights are read, so a file that is no model at all gets one line, the engine's, at start-up.
 */
async function buildInto(staging: string, source: ServerGraphSource, modelDir: string, target: string, log: (line: string) => void, building: string): Promise<Written> {
  const started = performance.now();
  const config = await readModelConfig(modelDir);
  const quarter = quarters((percent) => log(`fast path: ${target}: reading the checkpoint ${percent}%`));
  const quantizing = quarters((percent) => log(`fast path: ${target}: quantized ${percent}%`));
  const model = await buildServerGraphFrom(source, config, { onRead: quarter, onWeightsRead: () => log(building), onQuantize: quantizing });
  const written = quarters((percent) => log(`fast path: ${target}: written ${percent}%`));
  const graph = join(staging, basename(target));
  const out = await writeOnnxModel(graph, model, writeOptionsFor(target, { onProgress: written }));
  if (!out.externalData) throw new Error(`${target}: written without external data, which a server graph always has`);
  log(`fast path: ${target} built in ${Math.round(performance.now() - started)} ms (${(out.bytes / 1e6).toFixed(0)} MB)`);
  return { graphSha256: await sha256Of(graph), dataBytes: (await stat(externalDataPath(graph))).size };
}

/** A progress callback that calls `report` at 25, 50, 75 and 100%: a log, not a terminal, reads start-up. */
function quarters(report: (percent: number) => void): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const step = total > 0 ? Math.floor((done / total) * 4) * 25 : 0;
    if (step > last) report((last = step));
  };
}

/** The cache entry for a read-only folder: reused when its graph is there, built (into a staging folder renamed whole) when not. */
async function cacheEntry(modelDir: string, cacheDir: string, wanted: Wanted, stamp: Omit<Stamp, keyof Written>, log: (line: string) => void): Promise<ServerGraphPlan> {
  const configs = await Promise.all(CONFIG_FILES.map(async (f) => stat(join(modelDir, f)).then((s) => [f, s.size, s.mtimeMs], () => [f])));
  const key = createHash('sha256')
    .update(JSON.stringify({ modelDir, ...stamp, target: wanted.target, configs }))
    .digest('hex')
    .slice(0, 16);
  const entry = join(cacheDir, `${basename(modelDir)}-${key}`);
  if (existsSync(join(entry, wanted.target)) && existsSync(join(entry, externalDataPath(wanted.target))) && existsSync(join(entry, 'config.json'))) return { dir: entry, outcome: 'reused' };
  await mkdir(cacheDir, { recursive: true });
  const staging = join(cacheDir, `.${basename(entry)}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(join(staging, dirname(wanted.target)), { recursive: true });
    const building = `fast path: ${modelDir} is read-only: building ${wanted.target} from ${wanted.sourceFile} in ${entry} (MODEL_CACHE_DIR)`;
    await buildInto(join(staging, dirname(wanted.target)), wanted.source, modelDir, wanted.target, log, building);
    for (const f of CONFIG_FILES) if (existsSync(join(modelDir, f))) await copyFile(join(modelDir, f), join(staging, f));
    try {
      await rename(staging, entry);
    } catch (error) {
      // Another server on the same cache finished first: its entry is the same graph.
      if (!existsSync(join(entry, wanted.target))) throw error;
    }
    return { dir: entry, outcome: 'built' };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
