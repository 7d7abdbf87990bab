/**
 * Topics and push subscriptions on the Pub/Sub emulator, through its REST surface (the same resource names
 * and bodies as Pub/Sub's own API): for the tests and for `npm run dev` / scripts/slack-queue-local.ts.
 * Creating what exists already is not an error, so a local run can be set up again; a push subscription
 * that exists is pointed at the endpoint given.
 */
export interface PushSubscription {
  /** Subscription id. */
  name: string;
  /** Topic id; created when missing. */
  topic: string;
  pushEndpoint: string;
  /** How long a push may take before Pub/Sub counts it failed (production: 300). */
  ackDeadlineSeconds?: number;
  /** Redelivery backoff after a failed push, e.g. "1s" / "3s" (production: "10s" / "600s"). */
  minimumBackoff?: string;
  maximumBackoff?: string;
}

/** What deploy/terraform/pubsub.tf gives the real subscription: ack deadline 300 s, backoff 10 s to 600 s. */
export const PRODUCTION_PUSH_RETRY = { ackDeadlineSeconds: 300, minimumBackoff: '10s', maximumBackoff: '600s' } as const;

/** The Slack worker's subscription for a local run, retrying as production does. */
export function localSlackSubscription(topic: string, pushEndpoint: string): PushSubscription {
  return { name: `${topic}-worker`, topic, pushEndpoint, ...PRODUCTION_PUSH_RETRY };
}

export class PubSubEmulatorError extends Error {
  readonly code = 'pubsub_emulator_error';
  constructor(message: string) {
    super(message);
    this.name = 'PubSubEmulatorError';
  }
}

async function call(url: string, method: string, body: unknown, allow: number[] = []): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok && !allow.includes(response.status)) throw new PubSubEmulatorError(`${method} ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return { status: response.status, body: text };
}

/** Creates the topic and the push subscription on the emulator at `host` (host:port), or updates the push endpoint. */
export async function createPushSubscription(host: string, project: string, subscription: PushSubscription): Promise<void> {
  const base = `http://${host}/v1/projects/${encodeURIComponent(project)}`;
  await call(`${base}/topics/${encodeURIComponent(subscription.topic)}`, 'PUT', {}, [409]);
  const pushConfig = { pushEndpoint: subscription.pushEndpoint };
  const created = await call(
    `${base}/subscriptions/${encodeURIComponent(subscription.name)}`,
    'PUT',
    {
      topic: `projects/${project}/topics/${subscription.topic}`,
      pushConfig,
      ackDeadlineSeconds: subscription.ackDeadlineSeconds ?? 60,
      retryPolicy: { minimumBackoff: subscription.minimumBackoff ?? '1s', maximumBackoff: subscription.maximumBackoff ?? '10s' },
    },
    [409],
  );
  if (created.status === 409) await call(`${base}/subscriptions/${encodeURIComponent(subscription.name)}:modifyPushConfig`, 'POST', { pushConfig });
}

export async function deleteSubscription(host: string, project: string, name: string): Promise<void> {
  await call(`http://${host}/v1/projects/${encodeURIComponent(project)}/subscriptions/${encodeURIComponent(name)}`, 'DELETE', undefined, [404]);
}
