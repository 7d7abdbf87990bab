import { HubError } from './hub-error.js';

/** What the hub says about a file, read from the resolve response before any redirect to its CDN. */
export interface HubFileMeta {
  /** `X-Linked-Etag` (LFS files) or `ETag` (git files) */
  etag?: string;
  /** `X-Linked-Size` or the final `Content-Length` of a full response */
  size?: number;
  /** `X-Repo-Commit`: the commit the revision pointed at */
  commit?: string;
}

export interface HubResponse {
  response: Response;
  meta: HubFileMeta;
}

export interface HubRequestOptions {
  method?: 'GET' | 'HEAD';
  /** ask for the bytes from here on (`Range: bytes=N-`) */
  from?: number;
  /** HF token; sent only to the hub itself, never to the CDN it redirects to */
  token?: string;
  fetch?: typeof fetch;
}

const MAX_REDIRECTS = 10;

/**
 * Requests a resolve URL, following redirects by hand: the hub answers an LFS file with a 302 to a CDN
 * whose response no longer carries the file's sha256, so the `X-Linked-Etag` must be read off the 302
 * itself, and the token must not follow the request to another host.
 */
export async function hubRequest(url: string, options: HubRequestOptions = {}): Promise<HubResponse> {
  const doFetch = options.fetch ?? fetch;
  const hubOrigin = new URL(url).origin;
  const meta: HubFileMeta = {};
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    // identity: a compressed answer would have a weak ETag and a Content-Length that is not the file's.
    const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'mimicbot-training' };
    if (options.from) headers.range = `bytes=${options.from}-`;
    if (options.token && new URL(current).origin === hubOrigin) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await doFetch(current, { method: options.method ?? 'GET', headers, redirect: 'manual' });
    } catch (cause) {
      throw new HubError('HUB_INTERRUPTED', `cannot reach ${new URL(current).origin}: ${causeMessage(cause)}`, { cause });
    }
    const linkedEtag = response.headers.get('x-linked-etag');
    if (linkedEtag && meta.etag === undefined) {
      meta.etag = linkedEtag;
      const linkedSize = Number(response.headers.get('x-linked-size'));
      if (Number.isFinite(linkedSize) && linkedSize > 0) meta.size = linkedSize;
    }
    meta.commit ??= response.headers.get('x-repo-commit') ?? undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).toString();
      continue;
    }
    if (meta.etag === undefined && new URL(current).origin === hubOrigin) meta.etag = response.headers.get('etag') ?? undefined;
    if (meta.size === undefined && response.status === 200) {
      const length = Number(response.headers.get('content-length'));
      if (Number.isFinite(length) && response.headers.has('content-length')) meta.size = length;
    }
    return { response, meta };
  }
  throw new HubError('HUB_HTTP', `${url}: more than ${MAX_REDIRECTS} redirects`);
}

export function causeMessage(cause: unknown): string {
  const error = cause as { message?: string; cause?: { message?: string; code?: string } };
  return error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(cause);
}
