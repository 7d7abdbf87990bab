import { afterEach, describe, expect, it } from 'vitest';
import { startLocalSlackApi, type LocalSlackApi, type SlackApiCall } from './local-slack-api.js';

let api: LocalSlackApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const call = (method: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${api!.url}${method}`, {
    method: 'POST',
    headers: { authorization: 'Bearer xoxb-any', 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  }).then(async (response) => ({ status: response.status, body: await response.json() }));

describe('the local Slack Web API', () => {
  it("answers auth.test, chat.postMessage and reactions as Slack does, recording each call", async () => {
    const seen: SlackApiCall[] = [];
    api = await startLocalSlackApi({ onCall: (c) => seen.push(c) });
    expect((await call('auth.test', '')).body).toMatchObject({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TEAM' });
    const post = await call('chat.postMessage', new URLSearchParams({ channel: 'C1', text: 'hello & <b>', thread_ts: '1.2' }).toString());
    expect(post.body).toMatchObject({ ok: true, channel: 'C1', message: { text: 'hello & <b>', thread_ts: '1.2', bot_id: 'B0BOT' } });
    expect(post.body.ts).toMatch(/^\d+\.\d{6}$/);
    expect((await call('reactions.add', 'channel=C1&timestamp=1.2&name=thinking_face')).body).toEqual({ ok: true });
    expect(api.calls.map((c) => c.method)).toEqual(['auth.test', 'chat.postMessage', 'reactions.add']);
    expect(seen).toEqual(api.calls);
  });

  it('reads JSON bodies too', async () => {
    api = await startLocalSlackApi();
    const post = await call('chat.postMessage', JSON.stringify({ channel: 'C2', text: 'json' }), { 'content-type': 'application/json; charset=utf-8' });
    expect(post.body).toMatchObject({ ok: true, channel: 'C2' });
  });

  it("answers Slack's errors: no bot token, no channel or text, an unknown method, a body too large", async () => {
    api = await startLocalSlackApi();
    expect((await call('auth.test', '', { authorization: 'Bearer xoxp-user' })).body).toEqual({ ok: false, error: 'not_authed' });
    expect((await call('chat.postMessage', 'text=hi')).body).toEqual({ ok: false, error: 'channel_not_found' });
    expect((await call('chat.postMessage', 'channel=C1')).body).toEqual({ ok: false, error: 'no_text' });
    expect((await call('files.upload', '')).body).toEqual({ ok: false, error: 'unknown_method' });
    expect(await call('chat.postMessage', `channel=C1&text=${'x'.repeat(1_100_000)}`)).toEqual({ status: 413, body: { ok: false, error: 'request_too_large' } });
  });

  it('lets a test answer a call its own way', async () => {
    api = await startLocalSlackApi({ intercept: async (c) => (c.method === 'chat.postMessage' ? { status: 200, body: { ok: false, error: 'internal_error' } } : undefined) });
    expect((await call('chat.postMessage', 'channel=C1&text=hi')).body).toEqual({ ok: false, error: 'internal_error' });
    expect((await call('auth.test', '')).body.ok).toBe(true);
  });
});
