import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CARD_BYTES, MAX_DESCRIPTION_CHARS, modelCardMarkdown, parseModelCard, readModelCard, writeModelCard } from './model-card.js';
import { ModelFolderError } from './model-folder-error.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-card-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('parseModelCard', () => {
  it("takes the front matter's description first", () => {
    const card = parseModelCard('---\nlicense: mit\ndescription: "Tweets like @alice: short, dry."\n---\n\n# Alice\n\nSomething else. More.\n');
    expect(card).toEqual({ description: 'Tweets like @alice: short, dry.', title: 'Alice', metadata: { license: 'mit', description: 'Tweets like @alice: short, dry.' } });
  });

  it("else the first sentence of the first paragraph, skipping headings, badges, HTML, comments and code", () => {
    const text = [
      '---',
      'language: en',
      'tags: [exbert]',
      '---',
      '',
      '# GPT-2',
      '![badge](https://x/b.svg) [![ci](https://x/c.svg)](https://x)',
      '<img src="x.png">',
      '<!-- a comment',
      'that spans lines -->',
      '```',
      'not prose.',
      '```',
      'Pretrained model on **English** using a [causal](https://x) language',
      'modeling (CLM) objective. It was introduced in a paper!',
      '',
      'Second paragraph.',
    ].join('\n');
    expect(parseModelCard(text)).toMatchObject({ description: 'Pretrained model on English using a causal language modeling (CLM) objective.', title: 'GPT-2', metadata: { language: 'en', tags: ['exbert'] } });
  });

  it('keeps a paragraph without a full stop whole, and a card without prose has no description', () => {
    expect(parseModelCard('A bot that posts haiku').description).toBe('A bot that posts haiku');
    expect(parseModelCard('# Only a title\n\n| a | b |\n').description).toBeUndefined();
    expect(parseModelCard('').description).toBeUndefined();
  });

  it('is printable, on one line, and bounded', () => {
    const evil = parseModelCard(`---\ndescription: "abc\\u202Edef\\u0000\\nghi"\n---\n`);
    expect(evil.description).toBe('abc?def? ghi');
    const long = parseModelCard(`${'word '.repeat(100)}end.`).description!;
    expect([...long].length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    expect(long).toMatch(/^word word .* word…$/);
  });

  it('treats unclosed front matter as no metadata, and Windows line ends as line ends', () => {
    expect(parseModelCard('---\ndescription: never closed\n').description).toBeUndefined();
    expect(parseModelCard('\uFEFF---\r\ndescription: crlf\r\n---\r\nBody.').description).toBe('crlf');
  });

  it('refuses front matter that is not YAML, or not a mapping, naming README.md', () => {
    const bad = () => parseModelCard('---\ndescription: [unclosed\n---\n', 'm/README.md');
    expect(bad).toThrow(ModelFolderError);
    expect(bad).toThrow(/^m\/README\.md: front matter is not valid YAML: .+$/);
    expect(() => parseModelCard('---\n- a\n- b\n---\n', 'm/README.md')).toThrow('m/README.md: front matter must be a YAML mapping (key: value lines)');
  });
});

describe('readModelCard and writeModelCard', () => {
  it('round-trips what we write, and a folder without a card has an empty one', async () => {
    const folder = await mkdtemp(join(dir, 'rw-'));
    expect(await readModelCard(folder)).toEqual({ metadata: {} });
    await writeModelCard(folder, { title: 'alice-bot', description: 'Tweets like @alice: "short", dry #1.', metadata: { base_model: 'gpt2' } });
    const card = await readModelCard(folder);
    expect(card).toMatchObject({ description: 'Tweets like @alice: "short", dry #1.', title: 'alice-bot' });
    expect(card.metadata).toMatchObject({ base_model: 'gpt2', pipeline_tag: 'text-generation', tags: ['gpt2', 'mimicbot'] });
  });

  it('reads only the head of a long card', async () => {
    const folder = await mkdtemp(join(dir, 'long-'));
    await writeFile(join(folder, 'README.md'), `First sentence here. ${'x'.repeat(4 * MAX_CARD_BYTES)}`);
    expect((await readModelCard(folder)).description).toBe('First sentence here.');
  });

  it('writes the description as front matter and as the first paragraph', () => {
    expect(modelCardMarkdown({ title: 't', description: 'A model.\nOn two lines.', body: 'More.' })).toBe(
      '---\ndescription: A model. On two lines.\npipeline_tag: text-generation\nlibrary_name: transformers.js\ntags:\n  - gpt2\n  - mimicbot\n---\n\n# t\n\nA model. On two lines.\n\nMore.\n',
    );
  });
});
