/**
 * Slack's Web API for the tests: the function's own local stand-in (src/local-slack-api.ts), which speaks
 * Slack's wire format and records every call, plus ways to make a call fail or stall.
 */
import { startLocalSlackApi, type LocalSlackApi, type SlackApiAnswer, type SlackApiCall } from '../src/local-slack-api.js';

export type { SlackApiCall };

type Behaviour = (call: SlackApiCall) => Promise<SlackApiAnswer | undefined>;

export class FakeSlackApi {
  private api!: LocalSlackApi;
  private behaviours: Behaviour[] = [];
  url = '';

  async start(): Promise<this> {
    this.api = await startLocalSlackApi({
      intercept: async (call) => {
        for (const behaviour of this.behaviours) {
          const answer = await behaviour(call);
          if (answer) return answer;
        }
        return undefined;
      },
    });
    this.url = this.api.url;
    return this;
  }

  get calls(): SlackApiCall[] {
    return this.api.calls;
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

  /** Closes the connection of calls matching `when` without answering, `times` times (default: once). */
  dropWhen(when: (call: SlackApiCall) => boolean, options: { times?: number } = {}): void {
    let left = options.times ?? 1;
    this.behaviours.push(async (call) => {
      if (left <= 0 || !when(call)) return undefined;
      left -= 1;
      return { body: {}, drop: true };
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
    this.api.calls.length = 0;
    this.behaviours = [];
  }

  posts(channel?: string): SlackApiCall[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage' && (channel === undefined || c.params.channel === channel));
  }

  stop(): Promise<void> {
    return this.api.close();
  }
}
