import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@mimicbot/training/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../engine/errors.js';
import { listModelFolders, MAX_MODELS } from './model-folders.js';

let root: string;
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A folder that counts as a model folder: it has config.json (its contents are the loader's business). */
async function modelFolder(...path: string[]): Promise<string> {
  const dir = join(root, ...path);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), '{}');
  return dir;
}

describe('listModelFolders', () => {
  it('gives a model folder as the one model, named after the folder, even when it has model subfolders', async () => {
    const dir = await modelFolder('mybot');
    await modelFolder('mybot', 'checkpoint');
    expect(listModelFolders(dir)).toEqual([{ id: 'mybot', dir }]);
  });

  it('gives each subfolder holding a model, sorted by name, ignoring files, hidden and model-less folders', async () => {
    const b = await modelFolder('bots', 'zed');
    const a = await modelFolder('bots', 'alice');
    await modelFolder('bots', '.trash');
    await mkdir(join(root, 'bots', 'notes'));
    await writeFile(join(root, 'bots', 'README.md'), 'hi');
    expect(listModelFolders(join(root, 'bots'))).toEqual([
      { id: 'alice', dir: a },
      { id: 'zed', dir: b },
    ]);
  });

  it('follows symbolic links to model folders', async () => {
    const real = await modelFolder('store', 'v3');
    await mkdir(join(root, 'bots'));
    await symlink(real, join(root, 'bots', 'carol'));
    expect(listModelFolders(join(root, 'bots'))).toEqual([{ id: 'carol', dir: join(root, 'bots', 'carol') }]);
  });

  it('leaves a missing folder, or one with no model in it, to fail as a model folder does', async () => {
    await mkdir(join(root, 'empty'));
    expect(listModelFolders(join(root, 'nowhere'))).toEqual([{ id: 'nowhere', dir: join(root, 'nowhere') }]);
    expect(listModelFolders(join(root, 'empty'))).toEqual([{ id: 'empty', dir: join(root, 'empty') }]);
  });

  it(`refuses more than ${MAX_MODELS} models, saying how many it found`, async () => {
    for (let i = 0; i <= MAX_MODELS; i++) await modelFolder('many', `bot-${String(i).padStart(2, '0')}`);
    expect(() => listModelFolders(join(root, 'many'))).toThrow(ModelLoadError);
    expect(() => listModelFolders(join(root, 'many'))).toThrow(`holds ${MAX_MODELS + 1} model folders; a server serves at most ${MAX_MODELS}`);
  });
});
