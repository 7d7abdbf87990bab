import type { BlockAction, ButtonAction } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { clickFrom } from './curator-app.js';
import { draftsMessage } from './draft-messages.js';

const SET = '0123456789abcdef01234567';

function body(extra: Partial<BlockAction<ButtonAction>> = {}): BlockAction<ButtonAction> {
  return { type: 'block_actions', user: { id: 'U0ALICE', username: 'alice' }, channel: { id: 'G0CURATE1', name: 'privategroup' }, message: { type: 'message', ts: '1.000001' }, container: {}, ...extra } as BlockAction<ButtonAction>;
}
const button = (action_id: string, value: string) => ({ type: 'button', action_id, value, block_id: 'b', action_ts: '1', text: { type: 'plain_text', text: 'x' } }) as ButtonAction;

describe('clickFrom', () => {
  it('reads each of the drafts message\'s own buttons back as the click it stands for', () => {
    const message = draftsMessage(SET, { state: 'open', candidates: ['a', 'b'], createdAt: 0, expiresAt: 1000 }, '');
    const buttons = message.blocks.flatMap((block) => (block.type === 'actions' ? (block.elements as { action_id: string; value: string }[]) : []));
    const clicks = buttons.map((b) => clickFrom(body(), button(b.action_id, b.value)));
    const where = { user: 'U0ALICE', channel: 'G0CURATE1', messageTs: '1.000001' };
    expect(clicks).toEqual([
      { action: 'approve', set: SET, choice: 0, ...where },
      { action: 'approve', set: SET, choice: 1, ...where },
      { action: 'regenerate', set: SET, ...where },
      { action: 'discard', set: SET, ...where },
    ]);
  });

  it('refuses an Approve whose value names another draft than its action, and buttons that are not ours', () => {
    expect(clickFrom(body(), button('curated_approve_1', `${SET}:0`))).toMatchObject({ problem: expect.stringContaining('does not match') });
    expect(clickFrom(body(), button('something_else', SET))).toMatchObject({ problem: expect.stringContaining('not a curation button') });
  });

  it('takes the channel and message from the container when the payload has no channel or message', () => {
    const click = clickFrom(body({ channel: undefined, message: undefined, container: { channel_id: 'G0CURATE1', message_ts: '2.000002' } }), button('curated_discard', SET));
    expect(click).toMatchObject({ channel: 'G0CURATE1', messageTs: '2.000002' });
  });
});

describe('draftsMessage', () => {
  it('shows each draft as plain text with the disclosure, so generated markup and mentions stay inert', () => {
    const message = draftsMessage(SET, { state: 'open', candidates: ['hi <@U0BOSS> *bold*'], createdAt: 0, expiresAt: 1000 }, '🤖');
    expect(message.blocks).toContainEqual({ type: 'section', text: { type: 'plain_text', text: 'hi <@U0BOSS> *bold* 🤖', emoji: false } });
    expect(JSON.stringify(message.blocks)).toContain('<!date^1^');
  });
});
