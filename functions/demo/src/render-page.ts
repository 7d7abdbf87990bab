/**
 * The page with the model's description in its subtitle and `<meta name="description">`, escaped, or a
 * neutral line when the server gives none. Only text outside the inline `<style>` and `<script>` changes,
 * so the Content-Security-Policy's hashes still hold. Pure.
 */
export const NEUTRAL_DESCRIPTION = 'A small GPT-2 language model: whatever it says, it made up.';

const PLACEHOLDER = /\{\{description\}\}/g;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function renderPage(template: string, description: string | undefined): string {
  const line = description?.trim() || NEUTRAL_DESCRIPTION;
  return template.replace(PLACEHOLDER, escapeHtml(line));
}
