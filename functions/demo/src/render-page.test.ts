import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './page-security.js';
import { loadPageAssets } from './page-assets.js';
import { escapeHtml, NEUTRAL_DESCRIPTION, renderPage } from './render-page.js';

const template = '<meta name="description" content="{{description}}"><p>{{description}} Give it a start.</p>';

describe('renderPage', () => {
  it("puts the model's description in every placeholder", () => {
    expect(renderPage(template, 'It writes fortunes.')).toBe('<meta name="description" content="It writes fortunes."><p>It writes fortunes. Give it a start.</p>');
  });

  it('escapes it, so a description can neither end the attribute nor open a tag', () => {
    const page = renderPage(template, '"><script>alert(1)</script> & \'more\'');
    expect(page).not.toContain('<script>');
    expect(page).toContain('content="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;more&#39;"');
  });

  it('falls back to a neutral line when there is no description', () => {
    expect(renderPage(template, undefined)).toContain(`<p>${escapeHtml(NEUTRAL_DESCRIPTION)} Give it a start.</p>`);
    expect(renderPage(template, '   ')).toContain(NEUTRAL_DESCRIPTION);
  });

  it("leaves the real page's inline blocks alone, so its Content-Security-Policy still matches", () => {
    const assets = loadPageAssets();
    const html = renderPage(assets.template, 'Anything <b>at all</b>.');
    expect(contentSecurityPolicy(html)).toBe(assets.contentSecurityPolicy);
    expect(assets.template.match(/\{\{description\}\}/g)).toHaveLength(2);
  });
});
