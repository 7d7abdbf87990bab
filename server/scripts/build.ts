/**
 * `npm run build`: bundles the server into dist/main.js and each worker thread's entry beside it
 * (engine-worker.js, tokenizer-worker.js: their modules start them from the bundle's folder).
 * onnxruntime-node (native) and @huggingface/tokenizers stay external and are installed in the image's
 * node_modules.
 */
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

/** The worker threads' entry points (paths from server/), each bundled as `<name>.js` beside the main bundle. */
export const WORKER_ENTRY_POINTS = {
  'engine-worker': 'src/engine/engine-worker.ts',
  'tokenizer-worker': 'src/text/tokenizer-worker.ts',
} as const;

/**
 * Node flags the server runs with: the image's CMD, `npm start` and the bench (the image test checks the first
 * two say the same). V8's young generation is held to 1 MB semispaces: under 16 streams the main thread's new
 * space otherwise grows to 16 MB semispaces, ~30 MB of the peak, for a few more scavenges of a small heap.
 * The worker threads get the same through `resourceLimits` (src/worker-thread.ts).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=1'] as const;

/** esbuild's options for the server's bundles; the image test builds with them too, to list what the bundle reads. */
export function serverBuildOptions(outdir = `${serverDir}dist`): BuildOptions {
  const workers = Object.fromEntries(Object.entries(WORKER_ENTRY_POINTS).map(([name, path]) => [name, `${serverDir}${path}`]));
  return {
    entryPoints: { main: `${serverDir}src/main.ts`, ...workers },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['onnxruntime-node', '@huggingface/tokenizers'],
    // prom-client and other CommonJS dependencies call require() inside an ES module bundle.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  };
}

export async function buildServer(outdir = `${serverDir}dist`): Promise<void> {
  await build(serverBuildOptions(outdir));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ?? `${serverDir}dist`;
  await buildServer(outdir);
  process.stderr.write(`built ${outdir}/main.js and ${Object.keys(WORKER_ENTRY_POINTS).map((name) => `${name}.js`).join(', ')}\n`);
}
