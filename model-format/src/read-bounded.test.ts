import { mkdtemp, mkdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFolderError } from './model-folder-error.js';
import { readBoundedText, readJsonObject } from './read-bounded.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-bounded-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const options = { maxBytes: 1024, notFound: 'MODEL_CONFIG_NOT_FOUND', invalid: 'MODEL_CONFIG_INVALID' } as const;

describe('readBoundedText', () => {
  it('reads a file up to the cap', async () => {
    await writeFile(join(dir, 'ok.json'), 'x'.repeat(1024));
    expect(await readBoundedText(join(dir, 'ok.json'), options)).toHaveLength(1024);
  });

  it('refuses a 1 GB file from its size, without reading it', async () => {
    const file = join(dir, 'huge.json');
    await writeFile(file, '');
    await truncate(file, 1024 ** 3); // sparse: no gigabyte on disk
    const error = await readBoundedText(file, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFolderError);
    expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', message: `${file}: is 1 GiB; the most read from this file is 1 KiB` });
  });

  it('stops one byte past the cap where the size lies (/dev/zero in place of the file)', async () => {
    const file = join(dir, 'zero.json');
    await symlink('/dev/zero', file);
    await expect(readBoundedText(file, options)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: `${file}: is more than 1 KiB; the most read from this file is 1 KiB` });
  });

  it('says missing, with the hint, or returns undefined when the file is optional', async () => {
    const file = join(dir, 'absent.json');
    await expect(readBoundedText(file, { ...options, missingHint: 'is this a model folder?' })).rejects.toMatchObject({
      code: 'MODEL_CONFIG_NOT_FOUND',
      message: `${file}: missing: is this a model folder?`,
    });
    expect(await readBoundedText(file, { ...options, optional: true })).toBeUndefined();
  });

  it('refuses a folder in place of the file', async () => {
    await mkdir(join(dir, 'folder.json'));
    await expect(readBoundedText(join(dir, 'folder.json'), options)).rejects.toMatchObject({ code: 'MODEL_CONFIG_INVALID', problem: 'is a folder, expected a file' });
  });
});

describe('readJsonObject', () => {
  it('reports binary garbage as binary, on one printable line, without its bytes', async () => {
    const file = join(dir, 'garbage.json');
    await writeFile(file, Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xe2, 0x80, 0xae, 0x0a, 0x41]));
    const error = (await readJsonObject(file, options).catch((e: unknown) => e)) as ModelFolderError;
    expect(error.message).toBe(`${file}: not JSON: the file holds binary data`);
  });

  it('quotes the parser on text that is not JSON, made printable', async () => {
    const file = join(dir, 'text.json');
    await writeFile(file, '{ "a": \u202E1 }');
    const error = (await readJsonObject(file, options).catch((e: unknown) => e)) as ModelFolderError;
    expect(error.code).toBe('MODEL_CONFIG_INVALID');
    expect(error.message).toMatch(new RegExp(`^${file}: invalid JSON: .+`));
    expect(error.message).not.toMatch(/[\u202E\n]/);
  });

  it('wants an object', async () => {
    const file = join(dir, 'array.json');
    await writeFile(file, '[1, 2]');
    await expect(readJsonObject(file, options)).rejects.toThrow(`${file}: expected a JSON object, got an array`);
  });
});
