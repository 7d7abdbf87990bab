/**
 * Slack for the curated-posting tests: the Slack function's local Web API stand-in (wire format, every call
 * recorded) answering the two calls curation adds, chat.update and chat.postEphemeral, as Slack does; and
 * button clicks as Slack sends them: a `block_actions` interactivity payload, form-encoded as `payload=`,
 * signed with the signing secret.
 */
import { slackSignedHeaders, startLocalSlackApi, type LocalSlackApi, type SlackApiCall } from '@mimicbot/slack/testing';

export const CURATION_CHANNEL = 'G0CURATE1';

export interface PostedBlocks {
  ts: string;
  text: string;
  blocks: { type: string; block_id?: string; text?: { type: string; text: string }; elements?: { action_id: string; value: string; text: { text: string } }[] }[];
}

export async function startCurationSlack(): Promise<LocalSlackApi> {
  let ephemeral = 0;
  return startLocalSlackApi({
    intercept: async (call) => {
      if (!call.authorization?.startsWith('Bearer xoxb-')) return undefined;
      if (call.method === 'chat.update') {
        if (!call.params.channel || !call.params.ts) return { body: { ok: false, error: 'invalid_arguments' } };
        return { body: { ok: true, channel: call.params.channel, ts: call.params.ts, text: call.params.text, message: { text: call.params.text } } };
      }
      if (call.method === 'chat.postEphemeral') {
        if (!call.params.channel || !call.params.user) return { body: { ok: false, error: 'invalid_arguments' } };
        ephemeral += 1;
        return { body: { ok: true, message_ts: `${Math.floor(Date.now() / 1000)}.${String(ephemeral).padStart(6, '0')}` } };
      }
      return undefined;
    },
  });
}

/** The blocks a call sent (chat.postMessage or chat.update), parsed. */
export function blocksOf(call: SlackApiCall): PostedBlocks {
  return { ts: call.params.ts ?? '', text: call.params.text, blocks: JSON.parse(call.params.blocks ?? '[]') as PostedBlocks['blocks'] };
}

/** Every button in a message: its action_id, value and label. */
export function buttonsOf(message: PostedBlocks): { actionId: string; value: string; label: string }[] {
  return message.blocks.flatMap((block) => (block.type === 'actions' ? (block.elements ?? []).map((e) => ({ actionId: e.action_id, value: e.value, label: e.text.text })) : []));
}

/** The drafts' texts as shown (plain_text sections). */
export function draftTextsOf(message: PostedBlocks): string[] {
  return message.blocks.filter((block) => block.type === 'section' && block.text?.type === 'plain_text').map((block) => block.text!.text);
}

export interface ClickOptions {
  actionId: string;
  value: string;
  messageTs: string;
  user?: string;
  channel?: string;
  signingSecret: string;
  /** Signed at this time (seconds); now by default. */
  timestampSec?: number;
}

/** A button click as Slack POSTs it to the Interactivity Request URL. */
export function blockActionsRequest(options: ClickOptions): { body: string; headers: Record<string, string> } {
  const user = options.user ?? 'U0ALICE';
  const channel = options.channel ?? CURATION_CHANNEL;
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'verification-token-unused',
    container: { type: 'message', message_ts: options.messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.1.abc`,
    team: { id: 'T0TEAM', domain: 'mimicbot' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'privategroup' },
    message: { type: 'message', subtype: 'bot_message', text: 'drafts', ts: options.messageTs, bot_id: 'B0BOT' },
    state: { values: {} },
    response_url: 'http://127.0.0.1:9/actions/unused',
    actions: [{ action_id: options.actionId, block_id: 'b', text: { type: 'plain_text', text: 'button' }, value: options.value, type: 'button', action_ts: String(Date.now() / 1000) }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const headers = { ...slackSignedHeaders(body, options.signingSecret, options.timestampSec), 'content-type': 'application/x-www-form-urlencoded' };
  return { body, headers };
}
