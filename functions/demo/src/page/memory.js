// What the page remembers, in this browser only (localStorage): the visitor's own conversation, shown again
// on reload, and the random voter id their 👍/👎 are counted under. "Delete my history" forgets both. Nothing
// here is sent anywhere except the voter id, with a rating.

const HISTORY_KEY = 'mimicbot.history';
const VOTER_KEY = 'mimicbot.voter';
/** Kept exchanges (a prompt and its replies), newest last; older ones are dropped. */
export const MAX_EXCHANGES = 30;
/** And at most this many characters stored, so a long session cannot fill the browser's quota. */
const MAX_CHARS = 100_000;

function read(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    // Storage blocked (private mode, a policy): the page works, it just forgets.
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Full or blocked: forgetting is the safe failure.
  }
}

/** The stored exchanges: [{prompt, replies: [{persona, joined, promptShown, replyId, rating, error}]}]. */
export function loadHistory() {
  try {
    const parsed = JSON.parse(read(HISTORY_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e) => e && typeof e.prompt === 'string' && Array.isArray(e.replies)) : [];
  } catch {
    return [];
  }
}

export function saveHistory(exchanges) {
  let kept = exchanges.slice(-MAX_EXCHANGES);
  let text = JSON.stringify(kept);
  while (text.length > MAX_CHARS && kept.length > 1) {
    kept = kept.slice(1);
    text = JSON.stringify(kept);
  }
  write(HISTORY_KEY, text);
}

/** This browser's voter id: 32 random hex digits, made on first use. */
export function voterId() {
  const known = read(VOTER_KEY);
  if (known && /^[a-f0-9]{32}$/.test(known)) return known;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  write(VOTER_KEY, id);
  return id;
}

export function forgetEverything() {
  try {
    localStorage.removeItem(HISTORY_KEY);
    localStorage.removeItem(VOTER_KEY);
  } catch {
    // nothing stored to forget
  }
}
