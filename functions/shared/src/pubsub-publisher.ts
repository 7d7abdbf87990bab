/**
 * Publishes to one Pub/Sub topic with one REST call (`POST .../topics/<topic>:publish`), through the Pub/Sub
 * emulator when PUBSUB_EMULATOR_HOST is set (plain HTTP, no credentials) or Google's API with the
 * function's own credentials (google-auth-library, already a dependency).
 *
 * Not `@google-cloud/pubsub`: an intake has 3 seconds (Slack's and Discord's), cold start included, and that
 * client took 2.4-4.0 s just to load on a busy two-core machine (google-auth-library: 0.6 s); publishing is
 * all this function does with Pub/Sub.
 */
export interface PubSubPublisher {
  /** Resolves with the message id once Pub/Sub has the message. */
  publish(data: string, attributes?: Record<string, string>): Promise<string>;
}

export interface PubSubPublisherOptions {
  project: string;
  topic: string;
  /** host:port of the Pub/Sub emulator. */
  emulatorHost?: string;
  /** Authorization headers for Google's API; default: application default credentials (the metadata server on Cloud Run). */
  authHeaders?: () => Promise<Record<string, string>>;
  /** One attempt's limit; the intake must answer within 3 s. */
  timeoutMs?: number;
}

export class PubSubPublishError extends Error {
  readonly code = 'pubsub_publish_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PubSubPublishError';
  }
}

const PUBSUB_SCOPE = 'https://www.googleapis.com/auth/pubsub';

function defaultAuthHeaders(): () => Promise<Record<string, string>> {
  let client: Promise<{ getRequestHeaders(): Promise<Headers> }> | undefined;
  return async () => {
    client ??= import('google-auth-library').then(({ GoogleAuth }) => new GoogleAuth({ scopes: [PUBSUB_SCOPE] }).getClient());
    client.catch(() => (client = undefined));
    const authorization = (await (await client).getRequestHeaders()).get('authorization');
    if (!authorization) throw new Error('google-auth-library returned no Authorization header');
    return { authorization };
  };
}

export function createPubSubPublisher(options: PubSubPublisherOptions): PubSubPublisher {
  const base = options.emulatorHost ? `http://${options.emulatorHost}` : 'https://pubsub.googleapis.com';
  const url = `${base}/v1/projects/${encodeURIComponent(options.project)}/topics/${encodeURIComponent(options.topic)}:publish`;
  const authHeaders = options.emulatorHost ? async () => ({}) : (options.authHeaders ?? defaultAuthHeaders());
  const timeoutMs = options.timeoutMs ?? 2_000;

  return {
    async publish(data, attributes) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await authHeaders()) },
          body: JSON.stringify({ messages: [{ data: Buffer.from(data).toString('base64'), ...(attributes ? { attributes } : {}) }] }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new PubSubPublishError(`publishing to ${options.topic} failed: ${(error as Error).message}`, { cause: error });
      }
      const body = await response.text();
      if (!response.ok) throw new PubSubPublishError(`publishing to ${options.topic} failed: HTTP ${response.status} ${body.slice(0, 300)}`);
      const id = (JSON.parse(body) as { messageIds?: string[] }).messageIds?.[0];
      if (!id) throw new PubSubPublishError(`publishing to ${options.topic}: no message id in the answer`);
      return id;
    },
  };
}
