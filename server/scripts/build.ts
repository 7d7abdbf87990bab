/**
 * `npm run build`: bundles the server into dist/main.js and the engine's worker into dist/engine-worker.js
 * (engine.ts loads the worker from beside the bundle). onnxruntime-node (native) and
 * @huggingface/tokenizers stay external and are installed in the image's node_modules.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

export async function buildServer(outdir = `${serverDir}dist`): Promise<void> {
  await build({
    entryPoints: { main: `${serverDir}src/main.ts`, 'engine-worker': `${serverDir}src/engine/engine-worker.ts` },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['onnxruntime-node', '@huggingface/tokenizers'],
    // prom-client and other CommonJS dependencies call require() inside an ES module bundle.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ?? `${serverDir}dist`;
  await buildServer(outdir);
  process.stderr.write(`built ${outdir}/main.js and ${outdir}/engine-worker.js\n`);
}
