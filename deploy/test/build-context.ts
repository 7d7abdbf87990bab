/**
 * What reaches `docker build` when the maker runs `gcloud builds submit`: gcloud uploads the repository
 * filtered by .gcloudignore (gitignore syntax, read with `ignore`, the library eslint uses for the same
 * syntax), then Docker filters that upload with .dockerignore (Docker's own rules, read with
 * `@balena/dockerignore`, which reimplements them). A path is in the image's build context only if it
 * survives both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import ignore from 'ignore';

// A CommonJS package typed with `export default`: under NodeNext its default import is the module object,
// and the package sets `.default` to the factory for exactly this.
const dockerignore = dockerignoreModule.default;

export interface BuildContext {
  /** Uploaded by `gcloud builds submit`. */
  uploaded(path: string): boolean;
  /** Uploaded, and then not excluded by .dockerignore: what COPY can see. */
  inContext(path: string): boolean;
}

function ignoreLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export function loadBuildContext(root: string): BuildContext {
  const gcloudLines = ignoreLines(join(root, '.gcloudignore'));
  // gcloud's own directive to pull .gitignore in; its absence is the point (see .gcloudignore).
  if (readFileSync(join(root, '.gcloudignore'), 'utf8').includes('#!include:')) {
    throw new Error('.gcloudignore: includes another file (#!include:), whose rules this test does not read');
  }
  const gcloud = ignore().add(gcloudLines);
  const docker = dockerignore({ ignorecase: false }).add(ignoreLines(join(root, '.dockerignore')));
  const uploaded = (path: string) => !gcloud.ignores(path);
  return { uploaded, inContext: (path) => uploaded(path) && !docker.ignores(path) };
}
