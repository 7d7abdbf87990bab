import { describe, expect, it } from 'vitest';
import { createKeyValueStore, describeStore } from './store-from-config.js';

describe('the store at start-up', () => {
  it('says in one line which store is in use, and never a Redis password', () => {
    expect(describeStore({ kind: 'redis', url: 'redis://:hunter2@cache.internal:6379/0' })).toBe('redis at redis://cache.internal:6379: shared by every instance');
    expect(describeStore({ kind: 'firestore', projectId: 'p', databaseId: '(default)' })).toBe('firestore database (default) in project p: shared by every instance, outlives them');
    expect(describeStore({ kind: 'firestore', projectId: 'demo-x', databaseId: '(default)', emulatorHost: '127.0.0.1:8681' })).toMatch(/^firestore emulator at 127\.0\.0\.1:8681 \(project demo-x/);
    expect(describeStore({ kind: 'memory' })).toMatch(/^memory: this instance only; .* lost on restart/);
  });

  it('logs that line when the store is made', async () => {
    const lines: string[] = [];
    const store = createKeyValueStore({ kind: 'memory' }, 'slack', (event, fields) => void lines.push(JSON.stringify({ event, ...fields })));
    expect(lines).toEqual([JSON.stringify({ event: 'store_in_use', store: 'memory', summary: describeStore({ kind: 'memory' }) })]);
    await store.close();
  });
});
