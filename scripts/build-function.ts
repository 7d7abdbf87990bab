/**
 * Packages one function for `gcloud functions deploy --gen2 --runtime nodejs20`:
 *
 *   tsx scripts/build-function.ts <slack|twitter|demo|discord> [--out <dir>]     (default functions/<name>/dist)
 *
 * functions/<name>/src/index.ts is bundled with esbuild into <out>/index.js (ESM) with the workspace packages
 * (@mimicbot/*) inlined and every npm package left external; <out>/package.json lists exactly the npm
 * packages the bundle imports, pinned to the versions in the root package-lock.json (the ones the tests ran
 * against), with `main: index.js`, and <out>/package-lock.json pins every transitive dependency the same way
 * (function-lockfile.ts), so the deploy's `npm ci` installs what was tested. Files under src/ that are not
 * TypeScript (the demo's page) are copied beside the bundle, so `new URL('./page/', import.meta.url)` finds
 * them. Then:
 *
 *   gcloud functions deploy <name> --gen2 --runtime nodejs20 --source functions/<name>/dist \
 *     --entry-point <name> --trigger-http
 */
import { builtinModules } from 'node:module';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { functionLockfile, type LockEntry } from './function-lockfile.js';

export interface BuiltFunction {
  outDir: string;
  entry: string;
  /** npm package name -> version, as written to package.json. */
  dependencies: Record<string, string>;
  /** Packages in the written package-lock.json (direct and transitive). */
  lockedPackages: number;
  /** Size of index.js (the source map not counted). */
  bytes: number;
}

const ROOT = resolve(import.meta.dirname, '..');
const WORKSPACE_SCOPE = '@mimicbot/';
const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub/path` -> `@scope/name`; `name/sub` -> `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Marks npm packages external and records which ones the bundle really imports (type-only imports are gone by now). */
function externalNpmPackages(imported: Set<string>): Plugin {
  return {
    name: 'external-npm-packages',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') || BUILTINS.has(args.path)) return { path: args.path, external: true };
        if (args.path.startsWith(WORKSPACE_SCOPE)) return undefined; // bundled: esbuild resolves it through the workspace link
        imported.add(packageName(args.path));
        return { path: args.path, external: true };
      });
    },
  };
}

async function copyNonTypeScriptFiles(srcDir: string, outDir: string): Promise<void> {
  for (const entry of await readdir(srcDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.(ts|tsx|mts|cts)$/.test(entry.name)) continue;
    const from = join(entry.parentPath, entry.name);
    const to = join(outDir, relative(srcDir, from));
    await mkdir(dirname(to), { recursive: true });
    await cp(from, to);
  }
}

export async function buildFunction(name: string, options: { outDir?: string; rootDir?: string } = {}): Promise<BuiltFunction> {
  const rootDir = options.rootDir ?? ROOT;
  const functionDir = join(rootDir, 'functions', name);
  const srcDir = join(functionDir, 'src');
  const entry = join(srcDir, 'index.ts');
  try {
    await readFile(entry);
  } catch {
    throw new Error(`${entry}: no such function entry point (expected functions/<name>/src/index.ts)`);
  }
  const outDir = resolve(options.outDir ?? join(functionDir, 'dist'));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const imported = new Set<string>(['@google-cloud/functions-framework']); // the runtime starts the function with it
  const result = await build({
    entryPoints: [entry],
    outfile: join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
    plugins: [externalNpmPackages(imported)],
  });
  await copyNonTypeScriptFiles(srcDir, outDir);

  const manifestName = `mimicbot-${name}-function`;
  const rootLock = JSON.parse(await readFile(join(rootDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const lockfile = functionLockfile(rootLock, relative(rootDir, functionDir), [...imported], { name: manifestName, version: '0.1.0' });
  const dependencies = lockfile.packages[''].dependencies ?? {};
  const manifest = {
    name: manifestName,
    version: '0.1.0',
    private: true,
    description: `mimicbot ${name} Cloud Function, bundled by scripts/build-function.ts`,
    type: 'module',
    main: 'index.js',
    engines: { node: '>=20' },
    scripts: { start: `functions-framework --target=${name}` },
    dependencies,
  };
  await writeFile(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(outDir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
  const bytes = Object.entries(result.metafile.outputs).reduce((sum, [file, output]) => (file.endsWith('.js') ? sum + output.bytes : sum), 0);
  return { outDir, entry: join(outDir, 'index.js'), dependencies, lockedPackages: Object.keys(lockfile.packages).length - 1, bytes };
}

async function main(argv: string[]): Promise<void> {
  const [name, flag, out] = argv;
  if (!name || name.startsWith('-') || (flag !== undefined && (flag !== '--out' || !out))) {
    console.error('usage: tsx scripts/build-function.ts <slack|twitter|demo|discord> [--out <dir>]');
    process.exit(2);
  }
  try {
    const built = await buildFunction(name, { outDir: out });
    console.log(`${relative(process.cwd(), built.entry)}: ${(built.bytes / 1024).toFixed(0)} KiB; dependencies: ${Object.entries(built.dependencies).map(([n, v]) => `${n}@${v}`).join(', ')} (${built.lockedPackages} packages locked)`);
    console.log(`deploy: gcloud functions deploy ${name} --gen2 --runtime nodejs20 --source ${relative(process.cwd(), built.outDir) || '.'} --entry-point ${name} --trigger-http`);
  } catch (error) {
    console.error(`build-function ${name}: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main(process.argv.slice(2));
