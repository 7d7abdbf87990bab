/** Runs a function in its own process through scripts/serve-function.ts (functions-framework's real server). */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface FunctionProcess {
  url: string;
  output(): string;
  /** Ends it gracefully (SIGTERM) or as a crash would (SIGKILL). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

const root = resolve(import.meta.dirname, '..', '..', '..');

export async function startFunctionProcess(name: string, env: Record<string, string>): Promise<FunctionProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'scripts/serve-function.ts'), name, '0'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s:\n${output}`)), 30_000);
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
