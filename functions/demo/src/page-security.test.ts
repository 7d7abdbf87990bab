import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from './page-security.js';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));

describe('contentSecurityPolicy', () => {
  it("allows the page's own files and exactly its inline blocks, by hash", () => {
    const css = '\n  body { margin: 0 }\n';
    const script = 'console.log(1)';
    const csp = contentSecurityPolicy(`<style>${css}</style><script type="module" src="?asset=demo.js"></script><script>${script}</script>`);
    expect(directive(csp, 'style-src')).toBe(`style-src 'self' ${sha(css)}`);
    expect(directive(csp, 'script-src')).toBe(`script-src 'self' ${sha(script)}`);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('refuses everything else by default and any framing', () => {
    const csp = contentSecurityPolicy('<p>no inline blocks</p>');
    expect(directive(csp, 'default-src')).toBe("default-src 'none'");
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(csp, 'base-uri')).toBe("base-uri 'none'");
  });
});

describe('securityHeaders', () => {
  it('sends the policy with the older anti-framing and anti-sniffing headers and no referrer', () => {
    expect(securityHeaders('x')).toEqual({
      'content-security-policy': 'x',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });
});
