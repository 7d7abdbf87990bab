import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFirestoreFeedbackStore, type ServedReply } from '@mimicbot/functions-shared/feedback';
import { freePort, gcpEmulatorsForTests } from '@mimicbot/functions-shared/testing';
import { captureIo, commandRunner } from '@mimicbot/training/testing';

const runExport = commandRunner('feedback');
const runPrepare = commandRunner('prepare');
const projectId = `demo-feedback-export-${process.pid}`;
let root: string;
let env: NodeJS.ProcessEnv;

const reply = (id: string, continuation: string, fields: Partial<ServedReply> = {}): ServedReply => ({
  surface: 'slack',
  id,
  model: 'mybot',
  prompt: 'mondays',
  text: `_mondays_ ${continuation.replace(/&/g, '&amp;')}`,
  continuation,
  seed: 4242,
  settings: { maxTokens: 40, temperature: 0.9, topP: 0.95 },
  servedAt: Date.now(),
  ...fields,
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'feedback-export-'));
  const { firestore } = await gcpEmulatorsForTests();
  env = { FIRESTORE_EMULATOR_HOST: firestore, GOOGLE_CLOUD_PROJECT: projectId };
  // What the Slack function and the demo leave in the store, written through the same store.
  const store = createFirestoreFeedbackStore({ emulatorHost: firestore, projectId, voterKey: 'test-key', timeoutMs: 60_000 });
  const rate = async (served: ServedReply, ups: number, downs: number) => {
    await store.saveReply(served);
    for (let i = 0; i < ups; i++) await store.rate(served.surface, served.id, `U0UP${i}`, 'up');
    for (let i = 0; i < downs; i++) await store.rate(served.surface, served.id, `U0DOWN${i}`, 'down');
  };
  await rate(reply('C1:1.1', 'are a rumour & a lie told by <calendars>'), 3, 0);
  await rate(reply('C1:2.2', 'are when the coffee tastes like regret'), 1, 0);
  await rate(reply('C1:3.3', 'are fine, actually, I love them all'), 1, 2);
  await store.saveReply(reply('C1:4.4', 'were never rated by anybody at all'));
  await rate(reply('tab-7', 'begin on Sunday night for the wise', { surface: 'demo', model: 'otherbot', text: 'begin on Sunday night for the wise', continuation: undefined, seed: undefined }), 2, 0);
  await store.close();
}, 120_000);

afterAll(() => rm(root, { recursive: true, force: true }));

describe('mimicbot feedback export', () => {
  it('writes the liked lines best first with how to draw each again, and a dataset prepare takes', async () => {
    const out = join(root, 'all');
    const io = captureIo({ env });
    expect(await runExport(['export', '--out', out], io)).toBe(0);
    expect(io.out()).toContain(`read 4 rated replies from the Firestore emulator at ${env.FIRESTORE_EMULATOR_HOST} (project ${projectId}, database (default)); 3 liked`);

    const faves = await readFile(join(out, 'faves.md'), 'utf8');
    const order = ['rumour', 'Sunday', 'coffee'].map((word) => faves.indexOf(word));
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(faves).not.toContain('love them all');
    expect(faves).toContain('npm run mimicbot -- sample models/mybot --prompt mondays --max-tokens 40 --temperature 0.9 --top-p 0.95 --seed 4242');
    expect(faves).toContain('unseeded: it cannot be drawn again');

    const liked = (await readFile(join(out, 'liked.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(liked.map((r) => r.id)).toEqual(['slack:C1:1.1', 'demo:tab-7', 'slack:C1:2.2']);
    expect(liked[0].text).toBe('are a rumour &amp; a lie told by &lt;calendars&gt;');

    const dataset = join(root, 'dataset');
    const prepared = captureIo();
    expect(await runPrepare([join(out, 'liked.jsonl'), '--out', dataset, '--valid', '0'], prepared)).toBe(0);
    expect(prepared.out()).toContain('read 3 posts from 1 file(s); kept 3');
    const train = await readFile(join(dataset, 'train.txt'), 'utf8');
    // The model's own words, as it wrote them, without the user's prompt.
    expect(train).toContain('are a rumour & a lie told by <calendars><|endoftext|>');
    expect(train).not.toContain('mondays');
  });

  it('exports one model alone with --model', async () => {
    const out = join(root, 'other');
    const io = captureIo({ env });
    expect(await runExport(['export', '--out', out, '--model', 'otherbot'], io)).toBe(0);
    expect(io.out()).toContain('read 1 rated replies');
    expect((await readFile(join(out, 'liked.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('says in one line when there is nothing to export, when the store cannot be read, and when the action is unknown', async () => {
    const empty = captureIo({ env: { ...env, GOOGLE_CLOUD_PROJECT: `demo-feedback-empty-${process.pid}` } });
    expect(await runExport(['export', '--out', join(root, 'empty')], empty)).toBe(1);
    expect(empty.err()).toMatch(/^mimicbot: feedback: no rated replies in the Firestore emulator at .*; nothing written\n$/);

    // The client library lets FIRESTORE_EMULATOR_HOST override the host it is given; this test needs its own.
    vi.stubEnv('FIRESTORE_EMULATOR_HOST', undefined);
    const down = captureIo({ env: { FIRESTORE_EMULATOR_HOST: `127.0.0.1:${await freePort()}`, GOOGLE_CLOUD_PROJECT: 'demo-down' } });
    expect(await runExport(['export', '--out', join(root, 'down'), '--timeout-ms', '1500'], down)).toBe(1);
    vi.unstubAllEnvs();
    expect(down.err()).toMatch(/^mimicbot: feedback: cannot read feedback from the Firestore emulator at 127\.0\.0\.1:\d+ .*took longer than 1500 ms\n$/);

    const unknown = captureIo({ env });
    expect(await runExport(['import'], unknown)).toBe(2);
    expect(unknown.err()).toContain('unknown action "import"; the one action is export');
  });
});
