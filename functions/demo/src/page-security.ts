/**
 * The headers that keep the demo page from being framed, sniffed or made to run someone else's script.
 * The Content-Security-Policy allows only the page's own files, plus the exact inline `<style>` and
 * `<script>` blocks of its HTML by their SHA-256 hashes: text injected into the page later (an inline
 * handler, a `<script>` built from a reply) does not run. Pure: the HTML in, the headers out.
 */
import { createHash } from 'node:crypto';

function inlineHashes(html: string, tag: 'style' | 'script'): string[] {
  // Blocks with a src= are files, covered by 'self'; only inline bodies need a hash.
  const blocks = html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'gi'));
  return [...blocks]
    .filter((block) => !/\ssrc\s*=/i.test(block[1] ?? ''))
    .map((block) => `'sha256-${createHash('sha256').update(block[2], 'utf8').digest('base64')}'`);
}

export function contentSecurityPolicy(html: string): string {
  return [
    "default-src 'none'",
    ["script-src 'self'", ...inlineHashes(html, 'script')].join(' '),
    ["style-src 'self'", ...inlineHashes(html, 'style')].join(' '),
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Sent on every answer: the page, its files and the JSON ones alike. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    // For browsers that predate frame-ancestors.
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
