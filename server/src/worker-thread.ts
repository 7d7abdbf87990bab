import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Young-generation size of each worker's V8 heap, in MB. V8's default lets each isolate's new space grow to
 * 16 MB semispaces under load (~48 MB committed per thread); the engine worker allocates little on the JS
 * heap (its cache and buffers are outside it) and the tokenizer thread only short-lived strings, so small
 * semispaces cost a few more scavenges and save that memory per thread (docs/quantization.md).
 */
export const WORKER_YOUNG_GENERATION_MB = 3;

/**
 * Starts the worker thread whose entry module is `name` beside the calling module (`callerUrl`, its
 * `import.meta.url`). From TypeScript source (tsx, vitest) that is `<name>.ts`; from a bundle it is
 * `<name>.js` in the bundle's folder, so each worker is its own esbuild entry point (scripts/build.ts).
 */
export function startWorkerThread(name: string, callerUrl: string, workerData: unknown): Worker {
  const fromSource = callerUrl.endsWith('.ts');
  return startWorker(new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl), workerData);
}

/** Starts the worker whose entry module is `url`: a bundle's `.js`, or TypeScript source through tsx. */
export function startWorker(url: URL, workerData: unknown): Worker {
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  // Node 20 ignores `--import tsx` in a worker's execArgv, so a two-line ESM bootstrap registers tsx's
  // loader inside the worker, then imports the real entry.
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}
