import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The bundled server's port, from its ready line on stderr (main.ts prints it); a start-up failure line rejects. */
export async function readyPort(child: ChildProcess): Promise<number> {
  for await (const line of createInterface({ input: child.stderr! })) {
    const port = /ready on port (\d+)/.exec(line)?.[1];
    if (port) return Number(port);
    if (/cannot start/.test(line)) throw new Error(line);
  }
  throw new Error('the server exited before it was ready');
}
