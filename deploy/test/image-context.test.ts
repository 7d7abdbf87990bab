/**
 * The model server's image, checked without a Docker engine: everything server/Dockerfile takes from its
 * build context really reaches it through `gcloud builds submit` (.gcloudignore, then .dockerignore), a
 * maker's model folder under models/ among it, and cloudbuild.yaml builds that Dockerfile with the model the
 * maker names. (The container's runtime contract is tested on the bundle itself: server/test/process.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadBuildContext } from './build-context.js';
import { parseDockerfile } from './dockerfile.js';
import { SERVER_NODE_FLAGS, serverBuildOptions } from '../../server/scripts/build.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DOCKERFILE = readFileSync(join(ROOT, 'server/Dockerfile'), 'utf8');
const context = loadBuildContext(ROOT);
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);

/** A model folder as `mimicbot export` writes it, and what else a maker's checkout holds that git does not. */
const MAKER_MODEL = 'models/mybot';
const MODEL_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.onnx', 'onnx/model.onnx', 'server_decoder.onnx', 'server_decoder.onnx_data', 'server_decoder_q4.onnx', 'server_decoder_q4.onnx_data'];
const UNTRACKED_LEFT_OUT = [
  'node_modules/onnxruntime-node/package.json',
  'functions/slack/node_modules/x/index.js',
  'data/alice.jsonl',
  'data/dataset/train.jsonl',
  'models/run/checkpoint/model.safetensors',
  'models/run/checkpoint/optimizer.safetensors',
  'models/gpt2/model.safetensors',
  'server/dist/main.js',
  'functions/slack/dist/index.js',
  '.git/HEAD',
  'deploy/terraform/.terraform/providers/x',
  'deploy/terraform/.build/slack.zip',
  'coverage/index.html',
  'npm-debug.log',
];

/**
 * Every file of the repository that the server's bundle is built from, as esbuild itself lists them (its
 * metafile, from the build's own options): what `npm run build -w server` reads, and so what the context must
 * hold. A workspace the server imports only in part (training: the graph builder, not the CLI) adds only
 * the part it imports.
 */
async function sourcesTheServerBundleReads(): Promise<string[]> {
  const result = await build({ ...serverBuildOptions(join(tmpdir(), 'mimicbot-image-context')), absWorkingDir: ROOT, write: false, metafile: true, logLevel: 'silent' });
  return Object.keys(result.metafile.inputs).filter((path) => !path.split('/').includes('node_modules'));
}

describe('the image build context', () => {
  it('holds every path server/Dockerfile copies from it, for the default model and a model under models/', () => {
    for (const model of [undefined, MAKER_MODEL]) {
      const dockerfile = parseDockerfile(DOCKERFILE, model ? { MODEL: model } : {});
      const fromContext = dockerfile.copies.filter((copy) => copy.from === undefined);
      expect(fromContext.length).toBeGreaterThan(0);
      // Paths copied from the context, and paths a later stage takes from the working directory of a stage
      // that copied the whole context in, unless the build makes them (dist/; other folders such as
      // /manifests are made by RUN steps).
      const wholeContextStages = new Set(fromContext.filter((copy) => copy.sources.includes('.')).map((copy) => copy.stage));
      const fromBuildStages = dockerfile.copies.filter((copy) => copy.from !== undefined && wholeContextStages.has(copy.from));
      const needed = [
        ...fromContext.flatMap((copy) => copy.sources.filter((source) => source !== '.')),
        ...fromBuildStages.flatMap((copy) => {
          const workdir = `${dockerfile.workdirs[copy.from!]}/`;
          return copy.sources.filter((source) => source.startsWith(workdir)).map((source) => source.slice(workdir.length));
        }),
      ].filter((path) => !/(^|\/)dist(\/|$)/.test(path));
      const modelDir = model ?? dockerfile.argDefaults.MODEL;
      expect(needed).toContain(modelDir);
      const present = (path: string) => [...tracked, ...MODEL_FILES.map((file) => `${MAKER_MODEL}/${file}`)].some((file) => file === path || file.startsWith(`${path}/`));
      for (const path of needed) {
        expect(present(path), `${path}: not in the repository`).toBe(true);
        expect(context.inContext(path) || MODEL_FILES.some((file) => context.inContext(`${path}/${file}`)), `${path}: filtered out of the build context`).toBe(true);
      }
    }
  });

  it('runs the bundle with the server\'s node flags, as `npm start` runs the source and the bench the bundle', () => {
    const cmd = DOCKERFILE.split('\n').filter((line) => line.startsWith('CMD '));
    expect(cmd).toEqual([`CMD ${JSON.stringify(['node', ...SERVER_NODE_FLAGS, 'server/dist/main.js']).replaceAll(',', ', ')}`]);
    const server = JSON.parse(readFileSync(join(ROOT, 'server/package.json'), 'utf8')) as { scripts: { start: string } };
    expect(server.scripts.start).toBe(['node', ...SERVER_NODE_FLAGS, '--import tsx src/main.ts'].join(' '));
  });

  it('keeps a model folder under models/ whole, with every file the server may load', () => {
    for (const file of MODEL_FILES) expect(context.inContext(`${MAKER_MODEL}/${file}`), `${MAKER_MODEL}/${file}`).toBe(true);
    for (const file of tracked.filter((path) => path.startsWith('server/default-model/'))) expect(context.inContext(file), file).toBe(true);
  });

  it('holds what `npm ci` and the server build read: manifests, lockfile, and the sources of every workspace the server imports', async () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    for (const file of ['package.json', 'package-lock.json', ...root.workspaces.map((dir) => `${dir}/package.json`), 'server/scripts/build.ts', 'server/scripts/prepare-graphs.ts']) {
      expect(context.inContext(file), file).toBe(true);
    }
    const sources = await sourcesTheServerBundleReads();
    expect(sources).toContain('server/src/main.ts');
    expect(sources.filter((file) => !tracked.includes(file))).toEqual([]);
    expect(sources.filter((file) => !context.inContext(file))).toEqual([]);
    // training/src/data/ is source code: a bare `data/` rule in gitignore syntax would drop it.
    expect(context.inContext('training/src/data/clean-tweet.ts')).toBe(true);
  });

  it('leaves dependencies, datasets, checkpoints, build outputs and local state out of the upload', () => {
    for (const path of UNTRACKED_LEFT_OUT) expect(context.uploaded(path), path).toBe(false);
  });

  it("keeps the upload of the repository's own files small (the default model is most of it)", () => {
    const bytes = tracked.filter((path) => context.uploaded(path)).reduce((sum, path) => sum + statSync(join(ROOT, path)).size, 0);
    expect(bytes).toBeLessThan(32 * 1024 * 1024);
  });
});

describe('cloudbuild.yaml', () => {
  const build = parseYaml(readFileSync(join(ROOT, 'cloudbuild.yaml'), 'utf8')) as {
    steps: { name: string; args: string[] }[];
    images: string[];
    substitutions: Record<string, string>;
  };
  const dockerStep = build.steps.find((step) => step.args[0] === 'build');

  it('builds server/Dockerfile with MODEL from _MODEL, defaulting to the Dockerfile\'s own default', () => {
    expect(dockerStep?.name).toBe('gcr.io/cloud-builders/docker');
    expect(dockerStep?.args).toContain('--file=server/Dockerfile');
    expect(dockerStep?.args).toContain('--build-arg=MODEL=${_MODEL}');
    expect(dockerStep?.args.at(-1)).toBe('.');
    expect(build.substitutions._MODEL).toBe(parseDockerfile(DOCKERFILE).argDefaults.MODEL);
  });

  it('pushes the image it tags, into the Artifact Registry repository, and declares every substitution it uses', () => {
    const tag = dockerStep?.args.find((arg) => arg.startsWith('--tag='))?.slice('--tag='.length);
    expect(build.images).toEqual([tag]);
    expect(tag).toBe('${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPOSITORY}/server:${_TAG}');
    const used = new Set([...JSON.stringify([build.steps, build.images]).matchAll(/\$\{(_[A-Z_]+)\}/g)].map((match) => match[1]));
    expect([...used].sort()).toEqual(Object.keys(build.substitutions).sort());
  });
});
