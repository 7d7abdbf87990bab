import { decodeHtmlEntities } from './html-entities.js';
import { compareIds, type TweetRecord } from './tweet-record.js';

/** The fields of an archive `tweet` record that import reads (legacy v1.1 shape, ids and counts as strings). */
interface ArchiveTweet {
  id_str?: string;
  id?: string;
  full_text?: string;
  text?: string;
  created_at?: string;
  in_reply_to_status_id_str?: string | null;
  in_reply_to_user_id_str?: string | null;
  in_reply_to_screen_name?: string | null;
}

/** A long post's full text from `note-tweet.js`; it carries no tweet id, only its creation time. */
export interface NoteTweet {
  createdAtMs: number;
  text: string;
}

export interface ArchiveAccount {
  accountId?: string;
  username?: string;
}

export interface ImportOptions {
  /** keep replies to other accounts (marked with `reply_to`); replies in your own threads are always kept */
  keepReplies: boolean;
}

export interface ImportResult {
  records: TweetRecord[];
  counts: { posts: number; retweets: number; replies: number; longPosts: number; duplicates: number; skipped: number };
  /** the first records that were skipped (no id or no text, too long), as `file: record N: problem`; `counts.skipped` has them all */
  problems: string[];
}

/** How many skipped records are described one by one; the rest are only counted. */
export const MAX_PROBLEMS_KEPT = 20;

/** The account of `account.js`'s first record. */
export function accountOf(entry: unknown): ArchiveAccount {
  const account = (entry as { account?: { accountId?: unknown; username?: unknown } } | undefined)?.account;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { accountId: text(account?.accountId), username: text(account?.username) };
}

/** A long post of `note-tweet.js`, or undefined for a record that is not one. */
export function noteTweetOf(entry: unknown): NoteTweet | undefined {
  const note = (entry as { noteTweet?: { createdAt?: string; core?: { text?: string } } })?.noteTweet;
  const createdAtMs = Date.parse(note?.createdAt ?? '');
  return typeof note?.core?.text === 'string' && Number.isFinite(createdAtMs) ? { createdAtMs, text: note.core.text } : undefined;
}

/**
 * Collects archive tweet records as the files are read, keeping of each only the fields import uses and only
 * the first copy of each id (split files repeat some). `finish` turns them into posts: retweets (plain
 * records whose text starts `RT @`) dropped, replies to others dropped unless asked for, truncated long posts
 * completed from note-tweet.js. Output is oldest first.
 */
export class ArchiveTweetCollector {
  private readonly byId = new Map<string, ArchiveTweet>();
  private readonly problems: string[] = [];
  private skipped = 0;
  private duplicates = 0;

  add(file: string, index: number, entry: unknown): void {
    const tweet = ((entry as { tweet?: ArchiveTweet })?.tweet ?? entry) as ArchiveTweet | null;
    const id = tweet?.id_str ?? tweet?.id;
    const text = tweet?.full_text ?? tweet?.text;
    if (typeof id !== 'string' || !/^\d+$/.test(id) || typeof text !== 'string') {
      this.skip(file, index, 'not a post (no id_str or full_text)');
      return;
    }
    if (this.byId.has(id)) {
      this.duplicates++;
      return;
    }
    const t = tweet as ArchiveTweet;
    const field = (v: unknown) => (typeof v === 'string' ? v : undefined);
    this.byId.set(id, {
      id_str: id,
      full_text: text,
      created_at: field(t.created_at),
      in_reply_to_status_id_str: field(t.in_reply_to_status_id_str),
      in_reply_to_user_id_str: field(t.in_reply_to_user_id_str),
      in_reply_to_screen_name: field(t.in_reply_to_screen_name),
    });
  }

  skip(file: string, index: number, problem: string): void {
    if (this.skipped++ < MAX_PROBLEMS_KEPT) this.problems.push(`${file}: record ${index + 1}: ${problem}`);
  }

  finish(notes: NoteTweet[], account: ArchiveAccount, options: ImportOptions): ImportResult {
    const counts = { posts: 0, retweets: 0, replies: 0, longPosts: 0, duplicates: this.duplicates, skipped: this.skipped };
    const noteIndex = indexNotesBySecond(notes);
    const records: TweetRecord[] = [];
    for (const [id, tweet] of this.byId) {
      const text = tweet.full_text ?? '';
      if (text.startsWith('RT @')) {
        counts.retweets++;
        continue;
      }
      const replyTo = replyTarget(tweet, account, this.byId);
      if (replyTo !== undefined && !options.keepReplies) {
        counts.replies++;
        continue;
      }
      const createdAtMs = Date.parse(tweet.created_at ?? '');
      const note = Number.isFinite(createdAtMs) ? findNote(noteIndex, createdAtMs, text) : undefined;
      if (note) counts.longPosts++;
      const record: TweetRecord = {
        id,
        created_at: Number.isFinite(createdAtMs) ? new Date(createdAtMs).toISOString() : '',
        text: note?.text ?? text,
      };
      if (replyTo !== undefined) record.reply_to = replyTo;
      records.push(record);
    }
    records.sort((a, b) => compareIds(a.id, b.id));
    counts.posts = records.length;
    return { records, counts, problems: [...this.problems] };
  }
}

/** Who a reply answers, or undefined for a post or a reply in the author's own thread. */
function replyTarget(tweet: ArchiveTweet, account: ArchiveAccount, own: ReadonlyMap<string, unknown>): string | undefined {
  const toStatus = tweet.in_reply_to_status_id_str ?? undefined;
  const toUser = tweet.in_reply_to_user_id_str ?? undefined;
  if (!toStatus && !toUser) return undefined;
  const self =
    (account.accountId !== undefined && toUser === account.accountId) ||
    (account.username !== undefined && tweet.in_reply_to_screen_name?.toLowerCase() === account.username.toLowerCase()) ||
    (toStatus !== undefined && own.has(toStatus));
  return self ? undefined : (tweet.in_reply_to_screen_name ?? toUser ?? toStatus);
}

function indexNotesBySecond(notes: NoteTweet[]): Map<number, NoteTweet[]> {
  const index = new Map<number, NoteTweet[]>();
  for (const note of notes) {
    const second = Math.floor(note.createdAtMs / 1000);
    index.set(second, [...(index.get(second) ?? []), note]);
  }
  return index;
}

/**
 * note-tweet.js has no tweet id, so a long post is matched by time, as community parsers do: a note created
 * within a second or two of the tweet whose text begins the way the tweet's truncated text begins. The text
 * check keeps two posts made in the same second apart.
 */
function findNote(index: Map<number, NoteTweet[]>, createdAtMs: number, truncated: string): NoteTweet | undefined {
  const second = Math.floor(createdAtMs / 1000);
  const head = comparable(truncated).slice(0, 40);
  for (const delta of [0, -1, 1, -2, 2]) {
    for (const note of index.get(second + delta) ?? []) {
      if (head !== '' && comparable(note.text).startsWith(head)) return note;
    }
  }
  return undefined;
}

/** Text with entities decoded, links and the truncation ellipsis removed and spaces collapsed. */
function comparable(text: string): string {
  return decodeHtmlEntities(text)
    .replace(/https?:\/\/\S+/g, '')
    .replace(/…/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
