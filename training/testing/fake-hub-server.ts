import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * For tests: the Hugging Face hub's file serving, imitated on 127.0.0.1 as two servers (hub and CDN, so
 * they are different origins, as on the real hub).
 *
 * `GET|HEAD /{owner}/{name}/resolve/{revision}/{file}`:
 * - an LFS file: 302 to the CDN with `X-Linked-Etag: "<sha256>"`, `X-Linked-Size`, `X-Repo-Commit`, `ETag`;
 * - a git file: 200 with `ETag: "<git blob sha1>"`, served by the hub itself (Range honoured);
 * - a missing file: 404 `X-Error-Code: EntryNotFound`; an unknown repo: 401 `X-Error-Code: RepoNotFound`;
 * - a renamed repo: 307 to the new name with a relative `Location`.
 * The CDN honours `Range: bytes=N-` (206 + `Content-Range`, 416 past the end) and can drop the connection
 * midway or serve corrupted bytes, as scripted.
 */
export interface FakeRepo {
  commit: string;
  revisions: string[];
  files: Record<string, Uint8Array>;
  /** names of the files stored with Git LFS */
  lfs: string[];
}

export interface FakeHubOptions {
  repos: Record<string, FakeRepo>;
  renamed?: Record<string, string>;
  /** the next `times` responses with `file`'s bytes stop after `afterBytes` bytes of body and close the socket */
  drops?: { file: string; afterBytes: number; times: number }[];
  /** files whose bytes the CDN serves with one byte flipped */
  corrupt?: string[];
  /** a token the hub requires (anything else: 401), e.g. for a gated repo */
  requireToken?: string;
}

export interface HubRequestLog {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range?: string;
  authorization?: string;
}

export interface FakeHub {
  url: string;
  requests: HubRequestLog[];
  close(): Promise<void>;
}

export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const requests: HubRequestLog[] = [];
  const drops = (options.drops ?? []).map((d) => ({ ...d }));
  const blobs = new Map<string, { name: string; bytes: Uint8Array }>();
  for (const repo of Object.values(options.repos)) {
    for (const name of repo.lfs) if (repo.files[name]) blobs.set(sha256Hex(repo.files[name]), { name, bytes: repo.files[name] });
  }
  const log = (server: 'hub' | 'cdn', req: IncomingMessage) =>
    requests.push({
      server,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      range: req.headers.range,
      authorization: req.headers.authorization,
    });

  const cdn = await listen((req, res) => {
    log('cdn', req);
    const sha = /^\/blobs\/([0-9a-f]{64})/.exec(req.url ?? '')?.[1];
    const blob = sha === undefined ? undefined : blobs.get(sha);
    if (!blob) return end(res, 404, {}, 'NoSuchKey');
    let bytes = blob.bytes;
    if (options.corrupt?.includes(blob.name)) {
      bytes = Uint8Array.from(bytes);
      bytes[bytes.length >> 1] ^= 0xff;
    }
    sendBytes(req, res, bytes, { etag: `"cdn-${sha!.slice(0, 8)}-1"` }, drops, blob.name);
  });

  const hub = await listen((req, res) => {
    log('hub', req);
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(req.url ?? '');
    if (!m) return end(res, 404, {}, 'Not Found');
    const [, repoId, revision, file] = m;
    const renamedTo = options.renamed?.[repoId];
    if (renamedTo) return end(res, 307, { location: `/${renamedTo}/resolve/${revision}/${file}` }, '');
    const repo = options.repos[repoId];
    const authorized = options.requireToken === undefined || req.headers.authorization === `Bearer ${options.requireToken}`;
    if (!repo || !authorized) {
      return end(res, 401, { 'x-error-code': 'RepoNotFound', 'content-type': 'application/json' }, JSON.stringify({ error: 'Repository Not Found' }));
    }
    if (!repo.revisions.includes(decodeURIComponent(revision))) {
      return end(res, 404, { 'x-error-code': 'RevisionNotFound' }, JSON.stringify({ error: 'Invalid rev id' }));
    }
    const bytes = repo.files[file];
    if (!bytes) return end(res, 404, { 'x-error-code': 'EntryNotFound' }, JSON.stringify({ error: 'Entry not found' }));
    const common = { 'x-repo-commit': repo.commit };
    if (repo.lfs.includes(file)) {
      const sha = sha256Hex(bytes);
      return end(
        res,
        302,
        {
          ...common,
          etag: `"${sha}"`,
          'x-linked-etag': `"${sha}"`,
          'x-linked-size': String(bytes.byteLength),
          location: `${cdn.url}/blobs/${sha}?filename=${encodeURIComponent(file)}`,
        },
        '',
      );
    }
    sendBytes(req, res, bytes, { ...common, etag: `"${gitBlobSha1(bytes)}"` }, drops, file);
  });

  return {
    url: hub.url,
    requests,
    close: async () => {
      await hub.close();
      await cdn.close();
    },
  };
}

function sendBytes(
  req: IncomingMessage,
  res: ServerResponse,
  bytes: Uint8Array,
  headers: Record<string, string>,
  drops: { file: string; afterBytes: number; times: number }[],
  name: string,
): void {
  const size = bytes.byteLength;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (start >= size && range) return end(res, 416, { 'content-range': `bytes */${size}` }, '');
  const body = bytes.subarray(start);
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'accept-ranges': 'bytes',
    'content-type': 'application/octet-stream',
    'content-length': String(body.byteLength),
    ...(range && { 'content-range': `bytes ${start}-${size - 1}/${size}` }),
  });
  if (req.method === 'HEAD') return void res.end();
  const drop = drops.find((d) => d.file === name && d.times > 0);
  if (drop && drop.afterBytes < body.byteLength) {
    drop.times--;
    // Part of the body, then the connection dies: what a flaky network does to a long download.
    res.write(Buffer.from(body.subarray(0, drop.afterBytes)), () => res.socket?.destroy());
    return;
  }
  res.end(Buffer.from(body));
}

function end(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
