import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './page-security.js';
import { loadPageAssets } from './page-assets.js';
import { escapeHtml, NEUTRAL_DESCRIPTION, renderPage, SIDE_BY_SIDE_DESCRIPTION } from './render-page.js';

const template = '<meta name="description" content="{{description}}"><body data-personas="{{personas}}"><p>{{description}} Give it a start.</p>';
const one = (description?: string) => [{ id: 'm', served: true, ...(description === undefined ? {} : { description }) }];

/** What the page's script would read from data-personas. */
function personasIn(html: string): unknown {
  const attribute = /data-personas="([^"]*)"/.exec(html)![1];
  return JSON.parse(attribute.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

describe('renderPage', () => {
  it("puts the one model's description in every placeholder", () => {
    expect(renderPage(template, one('It writes fortunes.'))).toContain('<meta name="description" content="It writes fortunes."><body');
    expect(renderPage(template, one('It writes fortunes.'))).toContain('<p>It writes fortunes. Give it a start.</p>');
  });

  it('escapes it, so a description can neither end the attribute nor open a tag', () => {
    const page = renderPage(template, one('"><script>alert(1)</script> & \'more\''));
    expect(page).not.toContain('<script>');
    expect(page).toContain('content="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;more&#39;"');
    expect(personasIn(page)).toEqual([{ name: null, id: 'm', description: '"><script>alert(1)</script> & \'more\'', served: true }]);
  });

  it('falls back to a neutral line when there is no description', () => {
    expect(renderPage(template, one())).toContain(`<p>${escapeHtml(NEUTRAL_DESCRIPTION)} Give it a start.</p>`);
    expect(renderPage(template, one('   '))).toContain(NEUTRAL_DESCRIPTION);
  });

  it('with two personas, says so in the subtitle and gives the page each one with its own description', () => {
    const page = renderPage(template, [
      { name: 'zippy', id: 'zippy', description: 'Writes like Zippy.', served: true },
      { name: 'dril', id: 'dril', served: false },
    ]);
    expect(page).toContain(`<p>${escapeHtml(SIDE_BY_SIDE_DESCRIPTION)} Give it a start.</p>`);
    expect(personasIn(page)).toEqual([
      { name: 'zippy', id: 'zippy', description: 'Writes like Zippy.', served: true },
      { name: 'dril', id: 'dril', description: NEUTRAL_DESCRIPTION, served: false },
    ]);
  });

  it("leaves the real page's inline blocks alone, so its Content-Security-Policy still matches", () => {
    const assets = loadPageAssets();
    const html = renderPage(assets.template, one('Anything <b>at all</b>.'));
    expect(contentSecurityPolicy(html)).toBe(assets.contentSecurityPolicy);
    expect(assets.template.match(/\{\{description\}\}/g)).toHaveLength(2);
    expect(assets.template.match(/\{\{personas\}\}/g)).toHaveLength(1);
  });
});
