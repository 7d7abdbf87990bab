import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * What the hub's ETag says a file's content hashes to. For a file stored with Git LFS (weights) the
 * `X-Linked-Etag` (or `ETag`) is the SHA-256 of the content; for a plain git file (config, tokenizer) the
 * `ETag` is the git blob id, SHA-1 of `blob <size>\0<content>` — the same rule huggingface_hub relies on
 * when it names cached blobs by etag. Anything else (a CDN's own ETag, a weak `W/` tag) is not a digest.
 */
export type ExpectedDigest = { algorithm: 'sha256' | 'git-sha1'; hex: string };

export function expectedDigest(etag: string | undefined | null): ExpectedDigest | undefined {
  if (!etag) return undefined;
  const hex = etag.replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
  if (/^[0-9a-f]{64}$/.test(hex)) return { algorithm: 'sha256', hex };
  if (/^[0-9a-f]{40}$/.test(hex)) return { algorithm: 'git-sha1', hex };
  return undefined;
}

/** The file's digest under `algorithm`, read in a stream (weights are hundreds of MB). */
export async function fileDigest(path: string, algorithm: ExpectedDigest['algorithm']): Promise<string> {
  const hash = createHash(algorithm === 'sha256' ? 'sha256' : 'sha1');
  if (algorithm === 'git-sha1') hash.update(`blob ${(await stat(path)).size}\0`);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
