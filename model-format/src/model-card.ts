/**
 * The model card: the folder's `README.md` in Hugging Face's style (YAML front matter, then Markdown). It
 * gives the one-line description that `/v1/models` and the demo show. The rule:
 * 1. the front matter's `description:` when it is a non-empty string;
 * 2. else the first sentence of the first paragraph of the body (headings, HTML, images, code, tables and
 *    rules are not paragraphs), with Markdown links and emphasis reduced to their text;
 * then made printable and cut to MAX_DESCRIPTION_CHARS. Only the first MAX_CARD_BYTES of the file are read:
 * a long card is normal, and what we need is at its top.
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ModelFolderError } from './model-folder-error.js';
import { printable } from './printable.js';

export const MODEL_CARD_FILE = 'README.md';
export const MAX_CARD_BYTES = 64 * 1024;
export const MAX_DESCRIPTION_CHARS = 200;

export interface ModelCard {
  /** One line of printable text, at most MAX_DESCRIPTION_CHARS; absent when the card gives none (or there is no card). */
  description?: string;
  /** The first `# ` heading. */
  title?: string;
  /** The front matter (`{}` without one). */
  metadata: Record<string, unknown>;
}

/** The folder's card; a folder without README.md has an empty one. */
export async function readModelCard(dir: string): Promise<ModelCard> {
  const file = join(dir, MODEL_CARD_FILE);
  const text = await readPrefix(file, MAX_CARD_BYTES);
  return text === undefined ? { metadata: {} } : parseModelCard(text, file);
}

export function parseModelCard(text: string, file = MODEL_CARD_FILE): ModelCard {
  const { metadata, body } = splitFrontMatter(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), file);
  const title = body.match(/^#[ \t]+(.+?)[ \t#]*$/m)?.[1];
  const fromMetadata = typeof metadata.description === 'string' && metadata.description.trim() !== '' ? metadata.description : undefined;
  const description = fromMetadata ?? firstSentence(firstParagraph(body));
  return {
    ...(description === undefined ? {} : { description: oneLine(description, MAX_DESCRIPTION_CHARS) }),
    ...(title === undefined ? {} : { title: oneLine(stripMarkdown(title), MAX_DESCRIPTION_CHARS) }),
    metadata,
  };
}

export interface ModelCardInput {
  title: string;
  /** One sentence: what this model is (it becomes the front matter's `description:` and the first paragraph). */
  description: string;
  /** More front matter (Hugging Face keys: `base_model`, `license`, `tags`, `datasets`, ...). */
  metadata?: Record<string, unknown>;
  /** Markdown after the description. */
  body?: string;
}

/** README.md text for a folder we write: front matter with the description, a heading, the description. */
export function modelCardMarkdown(card: ModelCardInput): string {
  const description = oneLine(card.description, MAX_DESCRIPTION_CHARS);
  const metadata = { description, pipeline_tag: 'text-generation', library_name: 'transformers.js', tags: ['gpt2', 'mimicbot'], ...card.metadata };
  const body = card.body ? `\n${card.body.trim()}\n` : '';
  return `---\n${stringify(metadata).trimEnd()}\n---\n\n# ${oneLine(card.title, 120)}\n\n${description}\n${body}`;
}

export async function writeModelCard(dir: string, card: ModelCardInput): Promise<void> {
  await writeFile(join(dir, MODEL_CARD_FILE), modelCardMarkdown(card));
}

function splitFrontMatter(text: string, file: string): { metadata: Record<string, unknown>; body: string } {
  if (!text.startsWith('---\n')) return { metadata: {}, body: text };
  const end = text.slice(4).search(/^(---|\.\.\.)[ \t]*$/m);
  // Unclosed (or longer than what we read): no metadata, and no body we could tell apart from it.
  if (end < 0) return { metadata: {}, body: '' };
  const yaml = text.slice(4, 4 + end);
  const body = text.slice(4 + end).replace(/^.*(\n|$)/, '');
  let value: unknown;
  try {
    value = parse(yaml);
  } catch (cause) {
    const firstLine = String((cause as Error).message).split('\n')[0];
    throw new ModelFolderError('MODEL_CARD_INVALID', file, `front matter is not valid YAML: ${firstLine}`, { cause });
  }
  if (value === null || value === undefined) return { metadata: {}, body };
  if (typeof value !== 'object' || Array.isArray(value)) throw new ModelFolderError('MODEL_CARD_INVALID', file, 'front matter must be a YAML mapping (key: value lines)');
  return { metadata: value as Record<string, unknown>, body };
}

/** Lines that are not prose: headings, HTML, images/badges, fences, tables, rules, link definitions. */
const NOT_PROSE = /^(#|<|!\[|```|~~~|\||[-*_]{3,}\s*$|\[[^\]]*\]:)/;

function firstParagraph(body: string): string | undefined {
  const lines = body.split('\n');
  let inFence = false;
  let inComment = false;
  const paragraph: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    if (line.startsWith('```') || line.startsWith('~~~')) {
      inFence = !inFence;
      if (paragraph.length > 0) break;
      continue;
    }
    if (inFence) continue;
    if (line.startsWith('<!--')) {
      inComment = !line.includes('-->');
      if (paragraph.length > 0) break;
      continue;
    }
    if (line === '' || NOT_PROSE.test(line)) {
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(line.replace(/^([-*+]|\d+[.)]|>)\s+/, ''));
  }
  return paragraph.length > 0 ? stripMarkdown(paragraph.join(' ')) : undefined;
}

/** Up to the first `.`, `!` or `?` that ends a sentence (followed by a space or the end). */
function firstSentence(paragraph: string | undefined): string | undefined {
  if (paragraph === undefined) return undefined;
  const end = paragraph.search(/[.!?](\s|$)/);
  const sentence = end < 0 ? paragraph : paragraph.slice(0, end + 1);
  return sentence.trim() === '' ? undefined : sentence;
}

/** `[text](url)` -> text, `**b**`/`_i_`/`` `c` `` -> their text. */
function stripMarkdown(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(\*|_)(\S.*?\S|\S)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1');
}

/** Printable, one line, whitespace collapsed, cut at a word boundary when too long. */
function oneLine(text: string, maxChars: number): string {
  const flat = printable(text.replace(/\s+/g, ' ').trim(), Number.MAX_SAFE_INTEGER);
  const chars = [...flat];
  if (chars.length <= maxChars) return flat;
  const cut = chars.slice(0, maxChars - 1).join('');
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${atWord.length >= maxChars / 2 ? atWord : cut}…`;
}

/** The first `maxBytes` of a file as text (a character cut in half at the end is dropped), or undefined when it does not exist. */
async function readPrefix(file: string, maxBytes: number): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelFolderError('MODEL_CARD_INVALID', file, `cannot open it (${(cause as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause });
  }
  try {
    if ((await handle.stat()).isDirectory()) throw new ModelFolderError('MODEL_CARD_INVALID', file, 'is a folder, expected a file');
    const buffer = Buffer.alloc(maxBytes);
    let length = 0;
    while (length < maxBytes) {
      const { bytesRead } = await handle.read(buffer, length, maxBytes - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    const text = buffer.toString('utf8', 0, length);
    return length === maxBytes ? text.replace(/\uFFFD$/, '') : text;
  } finally {
    await handle.close();
  }
}
