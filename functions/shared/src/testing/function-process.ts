/**
 * Runs a function as deployed code in its own process: its src/index.ts, config from the environment given
 * (and nothing else of the test's), served by scripts/serve-function.ts (functions-framework's real server)
 * or started by functions-framework's own CLI, as `npm start -w functions/<name>` does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface FunctionProcess {
  url: string;
  output(): string;
  /** Ends it gracefully (SIGTERM) or as a crash would (SIGKILL). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** The repository root, from functions/shared/src/testing. */
const ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');

const START_TIMEOUT_MS = 90_000;

export type Launcher = 'serve-function' | 'functions-framework';

function spawnFunction(name: string, env: Record<string, string>, launcher: Launcher): ChildProcess {
  const args =
    launcher === 'serve-function'
      ? ['--import', 'tsx', resolve(ROOT, 'scripts/serve-function.ts'), name, '0']
      : ['--import', 'tsx', resolve(ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js'), `--target=${name}`, `--source=${resolve(ROOT, 'functions', name, 'src/index.ts')}`, '--port=0'];
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function startFunctionProcess(name: string, env: Record<string, string>): Promise<FunctionProcess> {
  const child = spawnFunction(name, env, 'serve-function');
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    // Generous: several functions start at once under tsx, on a machine other suites keep busy.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill(signal);
      }),
  };
}

/** Starts a function that is expected not to start, and reports how it ended (killed if it is still running after 90 s). */
export async function functionStartFailure(
  name: string,
  env: Record<string, string>,
  launcher: Launcher = 'serve-function',
): Promise<{ code: number | null; output: string }> {
  const child = spawnFunction(name, env, launcher);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  clearTimeout(timer);
  return { code, output };
}
