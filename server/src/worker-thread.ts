import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker thread whose entry module is `name` beside the calling module (`callerUrl`, its
 * `import.meta.url`). From TypeScript source (tsx, vitest) that is `<name>.ts`; from a bundle it is
 * `<name>.js` in the bundle's folder, so each worker is its own esbuild entry point (scripts/build.ts).
 */
export function startWorkerThread(name: string, callerUrl: string, workerData: unknown): Worker {
  const fromSource = callerUrl.endsWith('.ts');
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl);
  if (!fromSource) return new Worker(url, { workerData });
  // Node 20 ignores `--import tsx` in a worker's execArgv, so a two-line ESM bootstrap registers tsx's
  // loader inside the worker, then imports the real entry (engine/engine.ts does the same for its worker).
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData });
}
