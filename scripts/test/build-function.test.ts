/**
 * The packaged Slack function loads the way Cloud Functions loads it: functions-framework's own loader reads
 * the folder's package.json `main` and finds the `slack` target, with only the dependencies that package.json
 * lists available (linked into a node_modules beside it, in a folder outside the repository).
 */
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignedHeaders } from '@mimicbot/slack/testing';
import { buildFunction, packageName, type BuiltFunction } from '../build-function.js';
import type { Lockfile, LockEntry } from '../function-lockfile.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
let workDir: string;
let built: BuiltFunction;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'mimicbot-build-'));
  built = await buildFunction('slack', { outDir: join(workDir, 'slack') });
  for (const dep of Object.keys(built.dependencies)) {
    const link = join(built.outDir, 'node_modules', dep);
    await mkdir(dirname(link), { recursive: true });
    await symlink(join(ROOT, 'node_modules', dep), link, 'dir');
  }
}, 60_000);
afterAll(() => rm(workDir, { recursive: true, force: true }));

/** functions-framework's main.js, step for step, except that it listens on 127.0.0.1 only. */
const SERVE_LIKE_MAIN = `
const ff = process.argv[1] + '/node_modules/@google-cloud/functions-framework/build/src/';
const { parseOptions } = require(ff + 'options.js');
const { getUserFunction } = require(ff + 'loader.js');
const { getServer } = require(ff + 'server.js');
(async () => {
  const options = parseOptions(['node', 'functions-framework', '--target=slack', '--source=' + process.argv[1]]);
  const loaded = await getUserFunction(options.sourceLocation, options.target, options.signatureType);
  if (!loaded) process.exit(1);
  options.signatureType = loaded.signatureType;
  const server = getServer(loaded.userFunction, options);
  server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port + '/'));
})();
`;

/**
 * `npm ci --dry-run --offline` on a copy of the manifest and lockfile, with an empty npm cache: it succeeds
 * only if the lockfile alone answers every dependency (a gap would need the registry's metadata).
 */
async function npmCiOffline(lockfile: Lockfile): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(workDir, 'npm-ci-'));
  await copyFile(join(built.outDir, 'package.json'), join(dir, 'package.json'));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lockfile));
  return new Promise((resolveRun) => {
    const args = ['ci', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', `--cache=${join(dir, '.npm-cache')}`];
    execFile('npm', args, { cwd: dir, timeout: 120_000 }, (error, stdout, stderr) =>
      resolveRun({ ok: error === null, output: `${stdout}${stderr}` }),
    );
  });
}

describe('build-function slack', () => {
  it('bundles the workspace code in and lists exactly the npm packages it imports', async () => {
    const code = await readFile(built.entry, 'utf8');
    expect(code).not.toMatch(/from\s*["']@mimicbot\//);
    expect(Object.keys(built.dependencies).sort()).toEqual(['@google-cloud/firestore', '@google-cloud/functions-framework', '@slack/bolt', 'google-auth-library', 'ioredis']);
    const manifest = JSON.parse(await readFile(join(built.outDir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ main: 'index.js', type: 'module', dependencies: built.dependencies });
    expect(packageName('@slack/bolt/dist/x')).toBe('@slack/bolt');
  });

  it('writes a package-lock.json that pins every package, transitive ones too, to the version installed and tested here', async () => {
    const lockfile = JSON.parse(await readFile(join(built.outDir, 'package-lock.json'), 'utf8')) as Lockfile;
    const rootLock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    expect(lockfile.packages[''].dependencies).toEqual(built.dependencies);
    const entries = Object.entries(lockfile.packages).filter(([path]) => path !== '');
    expect(entries.length).toBe(built.lockedPackages);
    expect(entries.length).toBeGreaterThan(Object.keys(built.dependencies).length);
    for (const [path, entry] of entries) {
      const rootPath = [`functions/slack/${path}`, path].find((candidate) => rootLock.packages[candidate] !== undefined);
      expect(rootPath, path).toBeDefined();
      expect(entry.integrity, path).toBe(rootLock.packages[rootPath!].integrity);
      const installed = JSON.parse(await readFile(join(ROOT, rootPath!, 'package.json'), 'utf8')) as { version: string };
      expect(entry.version, path).toBe(installed.version);
      expect(entry.dev, path).toBeUndefined();
    }
  });

  it('writes a lockfile that npm ci accepts without the registry, and that check fails on an incomplete one', async () => {
    const lockfile = JSON.parse(await readFile(join(built.outDir, 'package-lock.json'), 'utf8')) as Lockfile;
    const complete = await npmCiOffline(lockfile);
    expect(complete.ok, complete.output).toBe(true);
    expect(complete.output).toMatch(new RegExp(`added ${built.lockedPackages} packages`));
    // Without one transitive entry npm would have to ask the registry, which --offline forbids.
    const { 'node_modules/express': _dropped, ...fewer } = lockfile.packages;
    expect(_dropped).toBeDefined();
    const incomplete = await npmCiOffline({ ...lockfile, packages: fewer });
    expect(incomplete.ok).toBe(false);
    expect(incomplete.output).toMatch(/ENOTCACHED|express/);
  });

  it("loads under functions-framework's loader and answers a signed url_verification", async () => {
    const child = spawn(process.execPath, ['-e', SERVE_LIKE_MAIN, built.outDir], {
      cwd: built.outDir,
      env: { PATH: process.env.PATH ?? '', SLACK_SIGNING_SECRET: 'built-secret', SLACK_BOT_TOKEN: 'xoxb-built', SLACK_BOT_USER_ID: 'U1', SLACK_BOT_ID: 'B1', MODEL_ENDPOINT: 'http://127.0.0.1:1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolveUrl, reject) => {
        child.stdout.on('data', (chunk) => {
          output += chunk;
          const match = /listening on (\S+)/.exec(output);
          if (match) resolveUrl(match[1]);
        });
        child.stderr.on('data', (chunk) => (output += chunk));
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      const body = JSON.stringify({ token: 't', challenge: 'built-ok', type: 'url_verification' });
      const response = await fetch(url, { method: 'POST', headers: slackSignedHeaders(body, 'built-secret'), body });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ challenge: 'built-ok' });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
