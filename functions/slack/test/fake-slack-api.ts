/**
 * A fake Slack Web API on 127.0.0.1 speaking Slack's wire format: form-encoded POSTs to /api/<method> with a
 * Bearer token, JSON `{ok: ...}` answers. It records every call and can be told to fail or stall a method.
 */
import { createServer, type Server } from 'node:http';

export interface SlackApiCall {
  method: string;
  params: Record<string, string>;
  authorization?: string;
  at: number;
}

type Behaviour = (call: SlackApiCall) => Promise<{ status?: number; body: Record<string, unknown> } | undefined>;

export class FakeSlackApi {
  readonly calls: SlackApiCall[] = [];
  private server!: Server;
  private behaviours: Behaviour[] = [];
  private posted = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', async () => {
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
        const call: SlackApiCall = { method, params: Object.fromEntries(new URLSearchParams(raw)), authorization: req.headers.authorization, at: Date.now() };
        this.calls.push(call);
        let answer: { status?: number; body: Record<string, unknown> } | undefined;
        for (const behaviour of this.behaviours) {
          answer = await behaviour(call);
          if (answer) break;
        }
        answer ??= { body: this.defaultAnswer(call) };
        if (!res.destroyed) {
          res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(answer.body));
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/api/`;
    return this;
  }

  private defaultAnswer(call: SlackApiCall): Record<string, unknown> {
    if (!call.authorization?.startsWith('Bearer xoxb-')) return { ok: false, error: 'not_authed' };
    switch (call.method) {
      case 'auth.test':
        return { ok: true, url: 'https://mimicbot.slack.com/', team: 'mimicbot', user: 'mimicbot', team_id: 'T0TEAM', user_id: 'U0BOT', bot_id: 'B0BOT', is_enterprise_install: false };
      case 'chat.postMessage':
        this.posted += 1;
        return {
          ok: true,
          channel: call.params.channel,
          ts: `1800000000.${String(this.posted).padStart(6, '0')}`,
          message: { type: 'message', subtype: 'bot_message', text: call.params.text, bot_id: 'B0BOT', user: 'U0BOT', ts: '1800000000.000000' },
        };
      case 'reactions.add':
      case 'reactions.remove':
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** Answers calls matching `when` with `body` (and `status`), `times` times (default: once). */
  failWhen(when: (call: SlackApiCall) => boolean, body: Record<string, unknown>, options: { status?: number; times?: number } = {}): void {
    let left = options.times ?? 1;
    this.behaviours.push(async (call) => {
      if (left <= 0 || !when(call)) return undefined;
      left -= 1;
      return { status: options.status, body };
    });
  }

  /** Holds calls matching `when` for `ms` before answering them normally. */
  stallWhen(when: (call: SlackApiCall) => boolean, ms: number): void {
    this.behaviours.push(async (call) => {
      if (when(call)) await new Promise((resolve) => setTimeout(resolve, ms));
      return undefined;
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.behaviours = [];
  }

  posts(channel?: string): SlackApiCall[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage' && (channel === undefined || c.params.channel === channel));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
