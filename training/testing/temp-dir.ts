import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system's temp folder; the caller removes it. */
export async function makeTempDir(prefix = 'mimicbot-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
