/**
 * The demo page's files, read once at start-up from the `page/` folder next to this module (next to the
 * bundle once built: the build copies the folder beside it), with the page's Content-Security-Policy.
 */
import { readFileSync } from 'node:fs';
import { contentSecurityPolicy } from './page-security.js';

export interface PageAsset {
  body: Buffer;
  contentType: string;
}

export interface PageAssets {
  /** By name, as the page asks for them (`?asset=<name>`). */
  files: Map<string, PageAsset>;
  /** index.html as text, with `{{description}}` where the model's description goes (render-page.ts). */
  template: string;
  /** Hashes index.html's inline blocks, so it is computed from the page actually served. */
  contentSecurityPolicy: string;
}

export const PAGE = 'index.html';
const FAVICON = 'favicon.svg';

export function loadPageAssets(folder: URL = new URL('./page/', import.meta.url)): PageAssets {
  const read = (name: string, contentType: string): [string, PageAsset] => [name, { body: readFileSync(new URL(name, folder)), contentType }];
  const files = new Map([
    read(PAGE, 'text/html; charset=utf-8'),
    read('demo.js', 'text/javascript; charset=utf-8'),
    read('memory.js', 'text/javascript; charset=utf-8'),
    read('suggest.js', 'text/javascript; charset=utf-8'),
    read(FAVICON, 'image/svg+xml'),
  ]);
  const template = files.get(PAGE)!.body.toString('utf8');
  return { files, template, contentSecurityPolicy: contentSecurityPolicy(template) };
}
