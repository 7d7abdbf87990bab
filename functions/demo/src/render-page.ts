/**
 * The page with what it says about its bots filled in, escaped: the subtitle and `<meta name="description">`
 * (one persona's description, a neutral line when the server gives none, or a line about the two side by
 * side), and `data-personas` on `<body>`: the personas as JSON, which the page's script reads to lay out one
 * column or two. Only text outside the inline `<style>` and `<script>` changes, so the
 * Content-Security-Policy's hashes still hold. Pure.
 */
import type { Persona } from './personas.js';

export const NEUTRAL_DESCRIPTION = 'A small GPT-2 language model: whatever it says, it made up.';
export const SIDE_BY_SIDE_DESCRIPTION = 'Two small GPT-2 language models answer the same prompt side by side, each described above its replies: whatever they say, they made up.';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The subtitle: what the bot is, or that there are two. */
export function pageDescription(personas: readonly Persona[]): string {
  if (personas.length > 1) return SIDE_BY_SIDE_DESCRIPTION;
  return personas[0]?.description?.trim() || NEUTRAL_DESCRIPTION;
}

export function renderPage(template: string, personas: readonly Persona[]): string {
  const forPage = personas.map((p) => ({ name: p.name ?? null, id: p.id, description: p.description?.trim() || NEUTRAL_DESCRIPTION, served: p.served }));
  return template
    .replace(/\{\{description\}\}/g, escapeHtml(pageDescription(personas)))
    .replace(/\{\{personas\}\}/g, escapeHtml(JSON.stringify(forPage)));
}
