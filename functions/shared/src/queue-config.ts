/**
 * An adapter's Pub/Sub queue settings, read the same way for every platform: `<P>_TOPIC` turns the queue
 * on, and `<P>_WORKER_*`, `<P>_MAX_DELIVERY_ATTEMPTS`, `<P>_RETRY_WINDOW_MS` say how its worker endpoint
 * takes pushes (P = SLACK, DISCORD).
 */
import type { EnvReader } from './config-reader.js';

export interface QueueConfig {
  /** <P>_TOPIC: the Pub/Sub topic id the intake publishes to. */
  topic: string;
  /** GOOGLE_CLOUD_PROJECT (required with a topic). */
  project: string;
  /** PUBSUB_EMULATOR_HOST: host:port of the Pub/Sub emulator. */
  emulatorHost?: string;
  /**
   * How the worker checks Pub/Sub's pushes. <P>_WORKER_AUTH (default oidc): the push's OIDC token must be
   * for <P>_WORKER_AUDIENCE (the worker's URL) and signed as <P>_WORKER_SERVICE_ACCOUNT. `none` only with
   * PUBSUB_EMULATOR_HOST: the emulator sends no token.
   */
  workerAuth: { kind: 'none' } | { kind: 'oidc'; audience: string; serviceAccount: string };
  /** <P>_MAX_DELIVERY_ATTEMPTS (default 10): the subscription's dead-letter max_delivery_attempts. */
  maxDeliveryAttempts: number;
  /**
   * <P>_RETRY_WINDOW_MS (default 600000): how long a model outage is waited out. The first delivery after
   * this long since publishing is the last: it posts the apology if the model is still down.
   */
  retryWindowMs: number;
}

const WORKER_AUTH = ['oidc', 'none'] as const;

/** Undefined when `<prefix>_TOPIC` is unset. `maxRetryWindowMs` caps the window (Discord's token dies at 15 min). */
export function readQueueConfig(read: EnvReader, prefix: string, project: string | undefined, maxRetryWindowMs = 24 * 3_600_000): QueueConfig | undefined {
  const topic = read.string(`${prefix}_TOPIC`);
  if (topic === undefined) return undefined;
  const emulatorHost = read.string('PUBSUB_EMULATOR_HOST');
  if (project === undefined) read.problem('GOOGLE_CLOUD_PROJECT', `is required with ${prefix}_TOPIC (the project of the topic; locally any id, e.g. demo-mimicbot)`);
  const authName = `${prefix}_WORKER_AUTH`;
  const auth = (read.string(authName) ?? 'oidc').toLowerCase();
  let workerAuth: QueueConfig['workerAuth'] = { kind: 'none' };
  if (!(WORKER_AUTH as readonly string[]).includes(auth)) {
    read.problem(authName, `must be oidc or none, got ${JSON.stringify(auth)}`);
  } else if (auth === 'none') {
    if (!emulatorHost) read.problem(authName, 'none is only for the Pub/Sub emulator (set PUBSUB_EMULATOR_HOST); Pub/Sub itself sends an OIDC token, so leave it at oidc');
  } else {
    const hint = `set by deploy/terraform; locally, ${authName}=none with the Pub/Sub emulator`;
    workerAuth = {
      kind: 'oidc',
      audience: read.requiredString(`${prefix}_WORKER_AUDIENCE`, `the worker's URL, the audience of the push's OIDC token; ${hint}`),
      serviceAccount: read.requiredString(`${prefix}_WORKER_SERVICE_ACCOUNT`, `the e-mail of the account Pub/Sub signs its pushes as; ${hint}`),
    };
  }
  return {
    topic,
    project: project ?? '',
    emulatorHost,
    workerAuth,
    maxDeliveryAttempts: read.number(`${prefix}_MAX_DELIVERY_ATTEMPTS`, 10, { min: 5, max: 100, integer: true }),
    retryWindowMs: read.number(`${prefix}_RETRY_WINDOW_MS`, 600_000, { min: 1000, max: maxRetryWindowMs, integer: true }),
  };
}
