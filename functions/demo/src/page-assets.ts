/**
 * The demo page's files, read once at start-up from the `page/` folder next to this module (next to the
 * bundle once built: the build copies the folder beside it).
 */
import { readFileSync } from 'node:fs';

export interface PageAsset {
  body: Buffer;
  contentType: string;
}

export function loadPageAssets(folder: URL = new URL('./page/', import.meta.url)): Map<string, PageAsset> {
  const read = (name: string, contentType: string): [string, PageAsset] => [name, { body: readFileSync(new URL(name, folder)), contentType }];
  return new Map([read('index.html', 'text/html; charset=utf-8'), read('demo.js', 'text/javascript; charset=utf-8')]);
}
