/**
 * The settings every function shares: where the model server is and how to reach it, the key-value store,
 * the output filter and generation defaults. Each function's own config.ts calls readSharedConfig(read) with
 * its reader, so one start-up lists the problems of both at once.
 */
import { envReader, type Env, type EnvReader } from './config-reader.js';
import { DEFAULT_GATE, type GateSettings } from './gate/gate-settings.js';

export interface SharedConfig {
  /** MODEL_ENDPOINT (required): the inference server's base URL, e.g. http://localhost:8080. */
  modelEndpoint: string;
  /**
   * REQUEST_TOKEN: the secret the server accepts (its REQUEST_TOKEN or one of its API_KEYS), sent as
   * `Authorization: Bearer`. May be set together with MODEL_AUDIENCE (see auth.ts).
   */
  requestToken?: string;
  /** MODEL_AUDIENCE: when set, also send a Google-signed ID token for this audience (private Cloud Run). */
  modelAudience?: string;
  /** MODEL_NAME: the `model` field; unset lets the server use the one it serves. */
  modelName?: string;
  /** MODEL_TIMEOUT_MS (default 30000): per attempt. */
  modelTimeoutMs: number;
  /** MODEL_RETRIES (default 3): retries on 429/502/503/504 and connection errors. */
  modelRetries: number;
  /** GOOGLE_CLOUD_PROJECT: the Google Cloud project (Firestore, Pub/Sub); on Cloud Run found from the metadata server when unset. */
  googleCloudProject?: string;
  /** Where state that must outlive an instance lives (Slack claims, the mention cursor, rate limits, recent posts). */
  store: StoreConfig;
  outputFilter: {
    /** OUTPUT_FILTER (default on). */
    enabled: boolean;
    /** OUTPUT_FILTER_WORDS: comma-separated list that replaces the built-in one. */
    words?: string[];
  };
  generation: GenerationSettings;
  /** The quality gate every reply passes (GATE_*; see gate/gate-settings.ts). */
  gate: GateSettings;
}

/**
 * STORE: `firestore`, `redis` or `memory`. Unset: `redis` when REDIS_URL is set, `firestore` on Google Cloud
 * (K_SERVICE is set there) or with FIRESTORE_EMULATOR_HOST, else `memory` (this process only).
 */
export type StoreConfig =
  | { kind: 'memory' }
  /** REDIS_URL: redis:// or rediss://. */
  | { kind: 'redis'; url: string }
  /**
   * FIRESTORE_DATABASE (default "(default)"); FIRESTORE_EMULATOR_HOST (host:port) for the local emulator,
   * which then needs GOOGLE_CLOUD_PROJECT (any id).
   */
  | { kind: 'firestore'; projectId?: string; databaseId: string; emulatorHost?: string };

export const STORE_KINDS = ['firestore', 'redis', 'memory'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** How every function samples: spread into a CompletionRequest beside the prompt. */
export interface GenerationSettings {
  /** MAX_TOKENS (default 60): new tokens per reply. */
  maxTokens: number;
  /** TEMPERATURE (default 0.9). */
  temperature: number;
  /** TOP_P (default 0.95). */
  topP: number;
}

export function readSharedConfig(read: EnvReader): SharedConfig {
  const googleCloudProject = read.string('GOOGLE_CLOUD_PROJECT');
  return {
    modelEndpoint: read.requiredUrl('MODEL_ENDPOINT', {
      schemes: ['http', 'https'],
      hint: "the model server's URL, e.g. http://localhost:8080; npm run dev sets it",
    }),
    requestToken: read.string('REQUEST_TOKEN'),
    modelAudience: read.string('MODEL_AUDIENCE'),
    modelName: read.string('MODEL_NAME'),
    modelTimeoutMs: read.number('MODEL_TIMEOUT_MS', 30_000, { min: 100, max: 3_600_000, integer: true }),
    modelRetries: read.number('MODEL_RETRIES', 3, { min: 0, max: 10, integer: true }),
    googleCloudProject,
    store: readStoreConfig(read, googleCloudProject),
    outputFilter: {
      enabled: read.boolean('OUTPUT_FILTER', true),
      words: read.list('OUTPUT_FILTER_WORDS'),
    },
    generation: {
      maxTokens: read.number('MAX_TOKENS', 60, { min: 1, max: 1024, integer: true }),
      temperature: read.number('TEMPERATURE', 0.9, { min: 0, max: 2 }),
      topP: read.number('TOP_P', 0.95, { min: 0.01, max: 1 }),
    },
    gate: {
      candidates: read.number('GATE_CANDIDATES', DEFAULT_GATE.candidates, { min: 1, max: 16, integer: true }),
      minWords: read.number('GATE_MIN_WORDS', DEFAULT_GATE.minWords, { min: 0, max: 50, integer: true }),
      maxCharacterRun: read.number('GATE_MAX_CHAR_RUN', DEFAULT_GATE.maxCharacterRun, { min: 1, max: 1000, integer: true }),
      maxRepeats: read.number('GATE_MAX_REPEATS', DEFAULT_GATE.maxRepeats, { min: 1, max: 1000, integer: true }),
      priorTokens: read.number('GATE_PRIOR_TOKENS', DEFAULT_GATE.priorTokens, { min: 0, max: 1000 }),
    },
  };
}

/** host:port, as the emulators print it (`export FIRESTORE_EMULATOR_HOST=127.0.0.1:8681`). */
const HOST_PORT = /^[\w.-]+:\d{1,5}$|^\[[\da-f:]+\]:\d{1,5}$/i;

function readStoreConfig(read: EnvReader, projectId: string | undefined): StoreConfig {
  const redisUrl = read.url('REDIS_URL', { schemes: ['redis', 'rediss'] });
  const emulatorHost = read.string('FIRESTORE_EMULATOR_HOST');
  const onGoogleCloud = read.string('K_SERVICE') !== undefined;
  const named = read.string('STORE')?.toLowerCase();
  if (named !== undefined && !(STORE_KINDS as readonly string[]).includes(named)) {
    read.problem('STORE', `must be one of ${STORE_KINDS.join(', ')}, got ${JSON.stringify(named)}`);
    return { kind: 'memory' };
  }
  const kind = (named as StoreKind | undefined) ?? (redisUrl ? 'redis' : emulatorHost || onGoogleCloud ? 'firestore' : 'memory');
  if (kind === 'redis') {
    if (!redisUrl) read.problem('REDIS_URL', 'is required with STORE=redis (e.g. redis://127.0.0.1:6379)');
    return { kind, url: redisUrl ?? '' };
  }
  if (redisUrl) read.problem('REDIS_URL', `is set but STORE is ${kind}; unset one of them`);
  if (kind === 'memory') return { kind };
  if (emulatorHost !== undefined && !HOST_PORT.test(emulatorHost)) {
    read.problem('FIRESTORE_EMULATOR_HOST', `must be host:port as the emulator prints it (e.g. 127.0.0.1:8681), got ${JSON.stringify(emulatorHost)}`);
  }
  if (emulatorHost !== undefined && projectId === undefined) {
    read.problem('GOOGLE_CLOUD_PROJECT', 'is required with FIRESTORE_EMULATOR_HOST (any project id, e.g. demo-mimicbot)');
  }
  return { kind, projectId, databaseId: read.string('FIRESTORE_DATABASE') ?? '(default)', emulatorHost };
}

/** The shared settings alone, or a ConfigError naming every problem. */
export function parseSharedConfig(env: Env): SharedConfig {
  const read = envReader(env);
  return read.done(readSharedConfig(read));
}
