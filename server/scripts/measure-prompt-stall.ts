/**
 * `npx tsx server/scripts/measure-prompt-stall.ts [--entry <server main.ts>] [--prompts 8] [--chars 60000] [--rounds 2]`
 *
 * What long prompts do to everyone else: starts the server (this tree's, or another checkout's entry point
 * given with --entry, for a before/after) on a random-weight model with GPT-2's real tokenizer, then sends
 * N one-word prompts of C characters at once to /v1/completions while polling /healthz every 10 ms. Prints,
 * per setting, how late /healthz answered (worst and median), when the last prompt was answered, the
 * statuses (0: no answer), and the server's resident memory. Run twice: with the defaults (MAX_PROMPT_TOKENS 768) and with
 * MAX_PROMPT_TOKENS 8192, where every prompt is tokenised before it is refused.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeTempDir, writeTestModel } from '@mimicbot/server/testing';

const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: fileURLToPath(new URL('../src/main.ts', import.meta.url)) },
    prompts: { type: 'string', default: '8' },
    chars: { type: 'string', default: '60000' },
    rounds: { type: 'string', default: '2' },
  },
});
const entry = resolve(values.entry);
const prompts = Number(values.prompts);
const chars = Number(values.chars);
const rounds = Number(values.rounds);
const tsxLoader = import.meta.resolve('tsx');

interface Started {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

async function startServer(modelDir: string, env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', tsxLoader, entry], {
    env: { PATH: process.env.PATH, PORT: '0', MODEL_DIR: modelDir, THREADS: '1', MAX_BODY_BYTES: String(chars + 1000), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  for (const deadline = Date.now() + 120_000; ; ) {
    const port = /ready on port (\d+)/.exec(stderr)?.[1];
    if (port) return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => (child.kill('SIGTERM'), exited) };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function burst(server: Started): Promise<string> {
  const idleRss = await rssMb(server.pid);
  const healthLatencies: number[] = [];
  let polling = true;
  let failedPolls = 0;
  const poller = (async () => {
    while (polling) {
      const sent = performance.now();
      // A fresh connection each time: a kept-alive one can be closed under us by the keep-alive timeout.
      await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } }).then(
        (response) => response.text(),
        () => failedPolls++,
      );
      healthLatencies.push(performance.now() - sent);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await new Promise((r) => setTimeout(r, 50));
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: prompts }, (_, i) =>
      fetch(`${server.url}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: String.fromCharCode(97 + (i % 26)).repeat(chars), max_tokens: 1 }),
      }).then(
        async (response) => (await response.text(), response.status),
        () => 0,
      ),
    ),
  );
  const allAnswered = performance.now() - started;
  polling = false;
  await poller;
  const sorted = [...healthLatencies].sort((a, b) => a - b);
  const statusCounts = Object.entries(statuses.reduce<Record<number, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {}))
    .map(([status, count]) => `${count}x${status}`)
    .join(' ');
  return [
    `/healthz worst ${sorted.at(-1)!.toFixed(0)} ms, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms (${sorted.length} polls, ${failedPolls} failed)`,
    `all ${prompts} prompts answered after ${allAnswered.toFixed(0)} ms (${statusCounts})`,
    `server RSS idle ${idleRss.toFixed(0)} MB, after ${(await rssMb(server.pid)).toFixed(0)} MB`,
  ].join('; ');
}

const root = await makeTempDir('mimicbot-stall-');
try {
  const modelDir = await writeTestModel(join(root, 'model'));
  console.log(`entry ${entry}; ${prompts} concurrent one-word prompts of ${chars} characters`);
  for (const env of [{}, { MAX_PROMPT_TOKENS: '8192' }] as Record<string, string>[]) {
    const server = await startServer(modelDir, env);
    try {
      await burst(server); // warm-up: the tokenizer's first use
      for (let round = 1; round <= rounds; round++) console.log(`${JSON.stringify(env).padEnd(28)} ${await burst(server)}`);
    } finally {
      await server.stop();
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
