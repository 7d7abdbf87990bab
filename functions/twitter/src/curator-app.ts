/**
 * The Slack side of curated posting: the curation buttons' clicks (Slack's `block_actions` interactivity
 * requests, form-encoded `payload=`, signed like every Slack request) reach this function's
 * `/slack/actions` and go through Bolt, which checks the signature against the raw body functions-framework
 * kept (`req.rawBody`) and refuses stale timestamps. Each click becomes a Click for curated-actions.ts.
 *
 * `processBeforeResponse: true`: the HTTP answer goes out when the click's work is done, since Cloud Run
 * throttles an instance's CPU once it has answered. The bot token is given through `authorize`, so Bolt
 * makes no auth.test call.
 */
import { App, HTTPReceiver, LogLevel, type BlockAction, type ButtonAction } from '@slack/bolt';
import type { Log } from '@mimicbot/functions-shared';
import type { Click, CuratedActions } from './curated-actions.js';
import { ACTION } from './draft-messages.js';

export const CURATOR_PATH = '/slack/actions';

export interface CuratorAppOptions {
  signingSecret: string;
  botToken: string;
  actions: CuratedActions;
  log: Log;
}

const ACTION_ID = new RegExp(`^(${ACTION.approve})_(\\d+)$|^(${ACTION.regenerate}|${ACTION.discard})$`);

/** The click a block action stands for, or why it is not one of ours. */
export function clickFrom(body: BlockAction<ButtonAction>, action: ButtonAction): Click | { problem: string } {
  const match = ACTION_ID.exec(action.action_id);
  const channel = body.channel?.id ?? body.container?.channel_id;
  const messageTs = body.message?.ts ?? body.container?.message_ts;
  if (!match || !channel || !messageTs) return { problem: `not a curation button (${action.action_id})` };
  const base = { user: body.user.id, channel, messageTs };
  if (match[1]) {
    const [set, choice] = (action.value ?? '').split(':');
    if (!set || choice !== match[2]) return { problem: 'an Approve button whose value does not match its action' };
    return { action: 'approve', set, choice: Number(choice), ...base };
  }
  return { action: match[3] === ACTION.regenerate ? 'regenerate' : 'discard', set: action.value ?? '', ...base };
}

export function createCuratorApp(options: CuratorAppOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: [CURATOR_PATH], processBeforeResponse: true, logLevel: LogLevel.ERROR });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: options.botToken }),
    // Only button clicks arrive here; there are no events of its own to ignore.
    ignoreSelf: false,
    logLevel: LogLevel.ERROR,
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTION_ID }, async ({ ack, body, action }) => {
    await ack();
    const click = clickFrom(body, action);
    if ('problem' in click) {
      options.log('curated_click_refused', { reason: click.problem });
      return;
    }
    options.log('curated_click', { action: click.action, set: click.set, user: click.user });
    try {
      await options.actions.handle(click);
    } catch (error) {
      // The click is answered (200) either way: Slack would only show the person a generic failure.
      options.log('curated_click_failed', { action: click.action, set: click.set, error: (error as Error).message });
      await options.actions.failed(click, error);
    }
  });

  return receiver;
}
