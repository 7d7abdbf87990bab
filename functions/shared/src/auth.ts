/**
 * How the client proves who it is to the model server. Two schemes, chosen by config:
 * - `REQUEST_TOKEN`: the secret the server accepts (its REQUEST_TOKEN or one of its API_KEYS), sent as
 *   `Authorization: Bearer <token>`.
 * - `MODEL_AUDIENCE`: a Google-signed ID token for a private Cloud Run service. When both are set, the ID token
 *   goes in `X-Serverless-Authorization` (Cloud Run checks that header first and strips it) so `Authorization`
 *   is left for the server's own key.
 */
import { ModelAuthError } from './errors.js';

/** Returns an ID token whose audience is `audience`. Injected so tests need no Google. */
export type IdTokenSource = (audience: string) => Promise<string>;

export type AuthHeadersSource = () => Promise<Record<string, string>>;

/** The real ID token source: google-auth-library's application default credentials (metadata server on GCP). */
export function googleIdTokenSource(): IdTokenSource {
  const clients = new Map<string, Promise<{ getRequestHeaders(): Promise<Headers> }>>();
  return async (audience) => {
    let client = clients.get(audience);
    if (!client) {
      // Loaded on first use: cold starts of functions that use REQUEST_TOKEN never pay for it.
      client = import('google-auth-library').then(({ GoogleAuth }) => new GoogleAuth().getIdTokenClient(audience));
      clients.set(audience, client);
      client.catch(() => clients.delete(audience));
    }
    // IdTokenClient caches the token until shortly before it expires; its header is "Bearer <token>".
    const authorization = (await (await client).getRequestHeaders()).get('authorization') ?? '';
    const token = authorization.replace(/^Bearer\s+/i, '');
    if (!token) throw new Error('google-auth-library returned no Authorization header');
    return token;
  };
}

export function authHeadersSource(options: {
  requestToken?: string;
  audience?: string;
  idTokenSource?: IdTokenSource;
}): AuthHeadersSource {
  const { requestToken, audience } = options;
  if (!audience) {
    const headers: Record<string, string> = requestToken ? { authorization: `Bearer ${requestToken}` } : {};
    return async () => headers;
  }
  const idTokenSource = options.idTokenSource ?? googleIdTokenSource();
  return async (): Promise<Record<string, string>> => {
    let idToken: string;
    try {
      idToken = await idTokenSource(audience);
    } catch (error) {
      throw new ModelAuthError(`could not get a Google ID token for audience ${audience}`, { cause: error });
    }
    return requestToken
      ? { authorization: `Bearer ${requestToken}`, 'x-serverless-authorization': `Bearer ${idToken}` }
      : { authorization: `Bearer ${idToken}` };
  };
}
