/** Interaction payloads as Discord POSTs them to an Interactions Endpoint URL (API v10). */
import { CONTINUE_COMMAND, MIMIC_COMMAND, PROMPT_OPTION } from '../src/commands.js';

export const APPLICATION_ID = '1180000000000000001';
const GUILD_ID = '1180000000000000002';
const CHANNEL_ID = '1180000000000000003';

let counter = 0n;
/** A snowflake made at `at` (ms since the Unix epoch). */
export function snowflakeAt(at: number): string {
  return String(((BigInt(at) - 1_420_070_400_000n) << 22n) + (counter++ % 4096n));
}

const member = { user: { id: '1180000000000000004', username: 'alice', global_name: 'Alice', discriminator: '0' }, roles: [], permissions: '2248473465835073', nick: null, joined_at: '2024-01-01T00:00:00.000000+00:00' };

function envelope(id: string, data: Record<string, unknown>) {
  return {
    id,
    application_id: APPLICATION_ID,
    type: 2,
    data,
    guild_id: GUILD_ID,
    channel_id: CHANNEL_ID,
    channel: { id: CHANNEL_ID, type: 0, name: 'general' },
    member,
    token: `aW50ZXJhY3Rpb246${id}:test-token-${'x'.repeat(120)}`,
    version: 1,
    app_permissions: '2248473465835073',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0,
  };
}

export const ping = () => ({ id: snowflakeAt(Date.now()), application_id: APPLICATION_ID, type: 1, token: 'ping-token', version: 1 });

export function mimic(prompt: string, at = Date.now()) {
  return envelope(snowflakeAt(at), { id: '1180000000000000010', name: MIMIC_COMMAND, type: 1, options: [{ name: PROMPT_OPTION, type: 3, value: prompt }] });
}

export function continueThis(content: string, at = Date.now()) {
  const targetId = '1180000000000000020';
  return envelope(snowflakeAt(at), {
    id: '1180000000000000011',
    name: CONTINUE_COMMAND,
    type: 3,
    target_id: targetId,
    resolved: { messages: { [targetId]: { id: targetId, type: 0, content, channel_id: CHANNEL_ID, author: member.user, attachments: [], embeds: [], mentions: [], timestamp: new Date(at).toISOString() } } },
  });
}
