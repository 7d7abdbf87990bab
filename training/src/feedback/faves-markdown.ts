/**
 * The most liked lines as a `faves.md`-style list (the repo's own faves.md was picked by hand; this one is
 * picked by the people who reacted): each line as it was shown, its votes and score, and how to draw it
 * again with `mimicbot sample` (the same sampler as the server, so the same seed and settings give the same
 * words).
 */
import type { ServedReply } from '@mimicbot/functions-shared/feedback';
import type { ScoredReply } from './rank-feedback.js';

export interface FavesSummary {
  /** Rated replies read in all. */
  rated: number;
  /** When the export ran, ms since the epoch. */
  exportedAt: number;
}

/** A word the shell passes through unchanged: single-quoted, a quote written as '\''. */
export function shellQuote(word: string): string {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `mimicbot sample` line that draws the reply again; undefined for an unseeded reply. */
export function sampleCommand(reply: ServedReply): string | undefined {
  if (reply.seed === undefined) return undefined;
  const { maxTokens, temperature, topP } = reply.settings;
  const prompt = reply.prompt === '' ? [] : ['--prompt', shellQuote(reply.prompt)];
  return ['npm run mimicbot -- sample', shellQuote(`models/${reply.model}`), ...prompt, '--max-tokens', String(maxTokens), '--temperature', String(temperature), '--top-p', String(topP), '--seed', String(reply.seed)].join(' ');
}

function quoted(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n');
}

export function favesMarkdown(ranked: readonly ScoredReply[], summary: FavesSummary): string {
  const date = new Date(summary.exportedAt).toISOString().slice(0, 10);
  const lines = [
    '# Faves: the most liked lines',
    '',
    `Exported by \`mimicbot feedback export\` on ${date}: the ${ranked.length} best liked of ${summary.rated} rated replies, ` +
      'ranked by the lower bound of the 95% Wilson interval for the share of 👍 among 👍 and 👎 (so 5 of 5 ranks ' +
      'above 1 of 1). Each is the reply as it was shown; the command under it prints the model\'s words again ' +
      '(the same model, prompt, seed and settings as the server; `models/<id>` stands for the folder of the model ' +
      'the server served under that id), of which the reply is the part the bot kept.',
    '',
  ];
  ranked.forEach((rated, i) => {
    const { reply } = rated;
    const command = sampleCommand(reply);
    lines.push(
      `## ${i + 1}. 👍 ${rated.up} · 👎 ${rated.down} · score ${rated.score.toFixed(2)}`,
      '',
      quoted(reply.text),
      '',
      `${reply.surface} · model \`${reply.model}\` · ${new Date(reply.servedAt).toISOString().slice(0, 10)}` + (reply.seed === undefined ? ' · unseeded: it cannot be drawn again' : ` · seed ${reply.seed}`),
      '',
    );
    if (command) lines.push('```sh', command, '```', '');
  });
  return lines.join('\n');
}
