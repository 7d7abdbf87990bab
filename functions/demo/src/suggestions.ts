/**
 * Prompts to suggest as a visitor types (`GET /?suggest=<prefix>`): the maker's own list (SUGGESTED_PROMPTS)
 * first, then prompts other visitors wrote whose replies were liked, but only those that pass every rule
 * in `isSuggestable` — another visitor's free text is never shown otherwise. The liked prompts are read
 * from the feedback store at most once per `ttlMs` (a keystroke must not scan the store), bounded by
 * `maxScanned` rated replies; between rebuilds, a request answers from the last index.
 */
import type { FeedbackStore, Log, OutputFilter, RatedReply } from '@mimicbot/functions-shared';
import { validatePrompt } from './validate-prompt.js';

export interface SuggestionRules {
  /** Distinct 👍 a reply needs before its prompt may be suggested (SUGGEST_MIN_VOTERS). */
  minVoters: number;
  filter: OutputFilter;
}

/** Suggestions are a start, not a post: longer prompts are not offered. */
export const MAX_SUGGESTION_CHARS = 80;

// What could name or reach a person: a link, an @handle or e-mail address, a long number (a phone, an id).
const PERSONAL = /:\/\/|www\.|@|\d{5,}/i;

/**
 * Whether a visitor's prompt may be suggested to others: a demo reply to it was liked by at least
 * `minVoters` distinct voters and by more than disliked it; it is short, has no control characters, and
 * neither it nor the liked reply trips the output filter; it holds no link, handle, address or long number.
 */
export function isSuggestable(rated: RatedReply, rules: SuggestionRules): boolean {
  const { reply, up, down } = rated;
  if (reply.surface !== 'demo' || up < rules.minVoters || up <= down) return false;
  const checked = validatePrompt({ prompt: reply.prompt }, MAX_SUGGESTION_CHARS);
  if (!checked.ok || checked.prompt === '') return false;
  if (PERSONAL.test(checked.prompt)) return false;
  return rules.filter.isAllowed(checked.prompt) && rules.filter.isAllowed(reply.text);
}

export interface SuggestionsOptions extends SuggestionRules {
  curated: readonly string[];
  feedback: Pick<FeedbackStore, 'ratedReplies'>;
  /** How long an index of liked prompts is used before it is read again (default 60 s). */
  ttlMs?: number;
  /** Rated replies read per rebuild at most (default 10,000). */
  maxScanned?: number;
  /** Suggestions per answer at most (default 5). */
  limit?: number;
  now?: () => number;
  log?: Log;
}

export type Suggest = (prefix: string) => Promise<string[]>;

/** Case and runs of spaces do not make two prompts different. */
const normalize = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

export function createSuggestions(options: SuggestionsOptions): Suggest {
  const { ttlMs = 60_000, maxScanned = 10_000, limit = 5, now = Date.now } = options;
  const curated = options.curated.filter((p) => validatePrompt({ prompt: p }, MAX_SUGGESTION_CHARS).ok);
  /** Each prompt with its normalized key, computed once per index rather than on every keystroke. */
  type Indexed = { prompt: string; key: string }[];
  let index: { prompts: Indexed; until: number } | undefined;
  let building: Promise<Indexed> | undefined;

  async function build(): Promise<Indexed> {
    const score = new Map<string, { prompt: string; score: number }>();
    try {
      let scanned = 0;
      for await (const rated of options.feedback.ratedReplies()) {
        if (++scanned > maxScanned) break;
        if (!isSuggestable(rated, options)) continue;
        const key = normalize(rated.reply.prompt);
        const entry = score.get(key) ?? { prompt: rated.reply.prompt.trim(), score: 0 };
        entry.score += rated.up - rated.down;
        score.set(key, entry);
      }
    } catch (error) {
      options.log?.('suggestions_failed', { error: (error as Error).message });
    }
    const liked = [...score.values()].sort((a, b) => b.score - a.score).map((e) => e.prompt);
    const seen = new Set<string>();
    const prompts = [...curated, ...liked].map((prompt) => ({ prompt, key: normalize(prompt) })).filter(({ key }) => !seen.has(key) && seen.add(key));
    index = { prompts, until: now() + ttlMs };
    return prompts;
  }

  async function prompts(): Promise<Indexed> {
    if (index && now() < index.until) return index.prompts;
    building ??= build().finally(() => (building = undefined));
    // A stale index answers at once while the new one is read; only the very first request waits.
    return index ? index.prompts : building;
  }

  return async function suggest(prefix) {
    const wanted = normalize(prefix);
    const all = await prompts();
    return all.filter(({ key }) => key.startsWith(wanted) && key !== wanted).slice(0, limit).map(({ prompt }) => prompt);
  };
}
