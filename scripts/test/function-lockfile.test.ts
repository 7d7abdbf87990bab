import { describe, expect, it } from 'vitest';
import { functionLockfile, LockfileError, type LockEntry } from '../function-lockfile.js';

const manifest = { name: 'mimicbot-x-function', version: '0.1.0' };

/** A root lockfile in the shapes npm writes: hoisted, nested, workspace-nested, dev-flagged, peers and optionals. */
function rootLock(extra: Record<string, LockEntry> = {}): { packages: Record<string, LockEntry> } {
  return {
    packages: {
      '': { name: 'root', workspaces: ['functions/x'] },
      'functions/x': { name: '@mimicbot/x', dependencies: { a: '^1.0.0', w: '^2.0.0' } },
      'node_modules/@mimicbot/x': { resolved: 'functions/x', link: true },
      'node_modules/a': { version: '1.2.0', integrity: 'sha512-a', dependencies: { b: '^1.0.0', c: '^3.0.0' }, optionalDependencies: { gone: '^1.0.0' } },
      'node_modules/b': { version: '1.0.5', integrity: 'sha512-b', dev: true, peerDependencies: { p: '*', q: '*' }, peerDependenciesMeta: { q: { optional: true } } },
      // a's own copy wins over the hoisted c@2 (Node looks in a/node_modules/ first).
      'node_modules/a/node_modules/c': { version: '3.1.0', integrity: 'sha512-c3', devOptional: true },
      'node_modules/c': { version: '2.0.0', integrity: 'sha512-c2' },
      'node_modules/p': { version: '4.0.0', integrity: 'sha512-p', peer: true },
      'node_modules/q': { version: '9.0.0', integrity: 'sha512-q' },
      // The workspace's own version of w (the root has another one for someone else).
      'functions/x/node_modules/w': { version: '2.1.0', integrity: 'sha512-w2' },
      'node_modules/w': { version: '1.0.0', integrity: 'sha512-w1' },
      'node_modules/unrelated': { version: '1.0.0', integrity: 'sha512-u' },
      ...extra,
    },
  };
}

describe('functionLockfile', () => {
  it('takes exactly the packages Node would load from the function folder, each from its own place', () => {
    const lock = functionLockfile(rootLock(), 'functions/x', ['w', 'a'], manifest);
    expect(Object.keys(lock.packages).sort()).toEqual(['', 'node_modules/a', 'node_modules/a/node_modules/c', 'node_modules/b', 'node_modules/p', 'node_modules/w'].sort());
    expect(lock.packages['']).toEqual({ name: 'mimicbot-x-function', version: '0.1.0', dependencies: { a: '1.2.0', w: '2.1.0' } });
    expect(lock.packages['node_modules/w'].version).toBe('2.1.0');
    expect(lock.packages['node_modules/a/node_modules/c'].integrity).toBe('sha512-c3');
    expect(lock).toMatchObject({ lockfileVersion: 3, requires: true });
  });

  it('drops the dev flags, which were relative to the repository root, so a production install keeps everything', () => {
    const lock = functionLockfile(rootLock(), 'functions/x', ['a'], manifest);
    expect(lock.packages['node_modules/b']).not.toHaveProperty('dev');
    expect(lock.packages['node_modules/a/node_modules/c']).toMatchObject({ optional: true });
    expect(lock.packages['node_modules/a/node_modules/c']).not.toHaveProperty('devOptional');
    expect(lock.packages['node_modules/p']).toMatchObject({ peer: true });
  });

  it('names a bundle import that the lockfile lacks', () => {
    expect(() => functionLockfile(rootLock(), 'functions/x', ['nope'], manifest)).toThrow(/nope: imported by the bundle but not in package-lock\.json/);
  });

  it('names a required transitive dependency that the lockfile lacks', () => {
    const root = rootLock();
    delete root.packages['node_modules/p'];
    expect(() => functionLockfile(root, 'functions/x', ['a'], manifest)).toThrow(LockfileError);
    expect(() => functionLockfile(root, 'functions/x', ['a'], manifest)).toThrow(/node_modules\/b: needs p/);
  });

  it('refuses to put two versions of one package in the same place', () => {
    // a (hoisted) needs w, which resolves to the root's w@1; the function itself needs its own w@2.
    const root = rootLock({ 'node_modules/a': { version: '1.2.0', dependencies: { w: '^1.0.0' } } });
    expect(() => functionLockfile(root, 'functions/x', ['a', 'w'], manifest)).toThrow(/node_modules\/w: both/);
  });
});
