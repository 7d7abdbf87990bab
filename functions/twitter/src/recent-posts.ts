/**
 * What the bot posted lately, in the shared store, so it does not post the same line again: X refuses an
 * exact repeat only while it remembers one (and bills the attempt), and a model with few words left says
 * the same things often. Kept by a hash of the text with case and spacing folded, each entry expiring
 * after the window, so the store holds one small document per recent post.
 */
import { createHash } from 'node:crypto';
import type { KeyValueStore, Log } from '@mimicbot/functions-shared';

export interface RecentPosts {
  /** True when the same text (up to case and spacing) was posted within the window. */
  seen(text: string): Promise<boolean>;
  /** Records a text that was just posted; a failure is logged, never thrown (the post is out). */
  remember(text: string): Promise<void>;
}

/** The same post, as far as repeating it goes: Unicode-normalized, lower case, spaces collapsed. */
export function postFingerprint(text: string): string {
  const folded = text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(folded).digest('hex').slice(0, 32);
}

/** `windowMs` 0: remembers nothing and refuses nothing. */
export function createRecentPosts(store: KeyValueStore, windowMs: number, log: Log = () => {}): RecentPosts {
  const key = (text: string) => `x:recent:${postFingerprint(text)}`;
  if (windowMs <= 0) return { seen: async () => false, remember: async () => {} };
  return {
    seen: async (text) => (await store.get(key(text))) !== undefined,
    async remember(text) {
      try {
        await store.set(key(text), String(Date.now()), windowMs);
      } catch (error) {
        log('recent_post_not_recorded', { error: (error as Error).message });
      }
    },
  };
}
