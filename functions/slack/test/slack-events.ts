/** Events API payloads in Slack's own shapes (api.slack.com/events/app_mention, /events/message.im). */
export const TEAM = 'T0TEAM';
export const BOT_USER = 'U0BOT';
export const BOT_ID = 'B0BOT';
export const APP_ID = 'A0APP';

let counter = 0;
/** A fresh Slack-looking ts ("seconds.micros") and event id per call. */
export function nextTs(): string {
  counter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(100000 + counter).padStart(6, '0')}`;
}
export function nextEventId(): string {
  counter += 1;
  return `Ev0${Date.now().toString(36).toUpperCase()}${counter}`;
}

export function envelope(event: Record<string, unknown>, eventId = nextEventId()): Record<string, unknown> {
  return {
    token: 'verification-token-unused',
    team_id: TEAM,
    context_team_id: TEAM,
    context_enterprise_id: null,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(eventId).toString('base64url')}`,
  };
}

export function appMention(options: { text: string; channel?: string; user?: string; ts?: string; threadTs?: string; botId?: string }) {
  const ts = options.ts ?? nextTs();
  return {
    ...(options.botId ? { bot_id: options.botId } : {}),
    type: 'app_mention',
    user: options.user ?? 'U0ALICE',
    text: options.text,
    ts,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    team: TEAM,
    channel: options.channel ?? 'C0GENERAL',
    event_ts: ts,
    client_msg_id: crypto.randomUUID(),
  };
}

export function directMessage(options: { text: string; channel?: string; user?: string; ts?: string }) {
  const ts = options.ts ?? nextTs();
  return {
    type: 'message',
    user: options.user ?? 'U0ALICE',
    text: options.text,
    ts,
    team: TEAM,
    channel: options.channel ?? 'D0ALICE',
    event_ts: ts,
    channel_type: 'im',
    client_msg_id: crypto.randomUUID(),
  };
}

export function urlVerification(challenge: string) {
  return { token: 'verification-token-unused', challenge, type: 'url_verification' };
}

/** api.slack.com/events/reaction_added and /events/reaction_removed: a reaction on a message. */
export function reaction(options: { added: boolean; reaction: string; user: string; channel: string; ts: string; itemUser?: string }) {
  return {
    type: options.added ? 'reaction_added' : 'reaction_removed',
    user: options.user,
    reaction: options.reaction,
    item_user: options.itemUser ?? BOT_USER,
    item: { type: 'message', channel: options.channel, ts: options.ts },
    event_ts: nextTs(),
  };
}
