/**
 * The Firestore and Pub/Sub emulators that come with the Google Cloud CLI, on free 127.0.0.1 ports: for the
 * tests (vitest's global setup starts them once per run) and for `npm run dev`.
 *
 * `gcloud ... start` runs a shell script that runs Java; killing the gcloud process alone leaves Java holding
 * the port. Each emulator is therefore started in its own process group and stopped by signalling the group.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface GcpEmulatorHosts {
  /** host:port, the value of FIRESTORE_EMULATOR_HOST. */
  firestore: string;
  /** host:port, the value of PUBSUB_EMULATOR_HOST. */
  pubsub: string;
}

export interface RunningGcpEmulators extends GcpEmulatorHosts {
  /** Resolves once both answer; rejects with the emulator's own output when one does not within `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** What the emulators need on this machine; the message says how to get it. */
export function gcpEmulatorsMissing(): string | undefined {
  const sdk = spawnSync('gcloud', ['info', '--format=value(installation.sdk_root)'], { encoding: 'utf8', timeout: 60_000 });
  if (sdk.error || sdk.status !== 0) {
    return 'the Google Cloud CLI (gcloud) is not installed or does not run; install the google-cloud-cli package and its emulators (google-cloud-cli-firestore-emulator, google-cloud-cli-pubsub-emulator) and a Java runtime';
  }
  const root = sdk.stdout.trim();
  const missing = [
    ['cloud-firestore-emulator', 'google-cloud-cli-firestore-emulator'],
    ['pubsub-emulator', 'google-cloud-cli-pubsub-emulator'],
  ].filter(([dir]) => !existsSync(join(root, 'platform', dir)));
  if (missing.length > 0) return `the Google Cloud CLI at ${root} lacks ${missing.map(([dir, pkg]) => `${dir} (package ${pkg})`).join(' and ')}`;
  if (spawnSync('java', ['-version'], { encoding: 'utf8' }).status !== 0) return 'the emulators need a Java runtime (java on PATH; Debian: openjdk-17-jre-headless)';
  return undefined;
}

interface Emulator {
  name: string;
  host: string;
  child: ChildProcess;
  output(): string;
}

function startOne(name: string, args: string[], host: string): Emulator {
  // detached: a new process group, so stop() reaches the Java process gcloud starts.
  const child = spawn('gcloud', [...args, `--host-port=${host}`], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' } });
  let output = '';
  // Keeps the tail only: an emulator may log for as long as it runs.
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(`\n${error.message}\n`)));
  return { name, host, child, output: () => output };
}

async function answers(host: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(2_000) });
    await response.text();
    return response.ok;
  } catch {
    return false;
  }
}

/** Waits until the emulator at `host` answers `GET /`; gives up early when `stopped()` says so. */
export async function waitForEmulator(name: string, host: string, timeoutMs = 90_000, output?: () => string, stopped = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(host))) {
    if (stopped()) throw new Error(`the ${name} emulator was stopped before it answered`);
    if (Date.now() > deadline) {
      throw new Error(`the ${name} emulator at ${host} did not answer within ${timeoutMs / 1000} s${output ? `; its output:\n${output()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A write and a read on each emulator: a freshly started one takes seconds over its first requests (the
 * JVM warming up), which a test's first operation should not pay for.
 */
export async function warmUpGcpEmulators(hosts: GcpEmulatorHosts): Promise<void> {
  const firestoreDoc = `http://${hosts.firestore}/v1/projects/demo-warm-up/databases/(default)/documents/kv/warm-up`;
  const topic = `http://${hosts.pubsub}/v1/projects/demo-warm-up/topics/warm-up`;
  const call = (url: string, method: string, body?: unknown) =>
    fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((response) => response.text());
  await Promise.all([
    call(firestoreDoc, 'PATCH', { fields: { value: { stringValue: 'warm' } } }).then(() => call(firestoreDoc, 'GET')),
    call(topic, 'PUT', {}).then(() => call(`${topic}:publish`, 'POST', { messages: [{ data: 'd2FybQ==' }] })),
  ]);
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, name);
      } catch {
        // the group is gone already
      }
    };
    const killer = setTimeout(() => signal('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      // The Java process may outlive the wrapper by a moment; make sure the whole group is gone.
      signal('SIGKILL');
      resolve();
    });
    signal('SIGTERM');
  });
}

/** Starts both emulators (on free ports unless given) without waiting for them: `ready()` waits. */
export async function startGcpEmulators(options: { project?: string; ports?: { firestore: number; pubsub: number } } = {}): Promise<RunningGcpEmulators> {
  const [firestorePort, pubsubPort] = options.ports ? [options.ports.firestore, options.ports.pubsub] : [await freePort(), await freePort()];
  const emulators = [
    startOne('Firestore', ['emulators', 'firestore', 'start'], `127.0.0.1:${firestorePort}`),
    startOne('Pub/Sub', ['beta', 'emulators', 'pubsub', 'start', `--project=${options.project ?? 'demo-mimicbot'}`], `127.0.0.1:${pubsubPort}`),
  ];
  let stopped = false;
  return {
    firestore: emulators[0].host,
    pubsub: emulators[1].host,
    ready: async (timeoutMs) => {
      await Promise.all(emulators.map((emulator) => waitForEmulator(emulator.name, emulator.host, timeoutMs, emulator.output, () => stopped)));
    },
    stop: async () => {
      stopped = true;
      await Promise.all(emulators.map((emulator) => stopGroup(emulator.child)));
    },
  };
}
