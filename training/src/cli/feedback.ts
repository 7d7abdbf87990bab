/**
 * `feedback export`: reads every rated reply from the functions' feedback store (Firestore, where the
 * deployed functions keep it) and writes `faves.md`, the best liked lines with how to draw each again, and
 * `liked.jsonl`, the liked replies as posts `prepare` reads for the next fine-tune.
 *
 * The store is found as the functions find it: GOOGLE_CLOUD_PROJECT (or --project), FIRESTORE_DATABASE (or
 * --database), and FIRESTORE_EMULATOR_HOST for the local emulator; on a machine with Google credentials
 * (`gcloud auth application-default login`) it reads the deployed database.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFirestoreFeedbackStore, FeedbackStoreError, type RatedReply } from '@mimicbot/functions-shared/feedback';
import { favesMarkdown } from '../feedback/faves-markdown.js';
import { likedJsonl } from '../feedback/liked-dataset.js';
import { isLiked, rankRated } from '../feedback/rank-feedback.js';
import { createProgressBar } from '../progress.js';
import { CommandFailure, UsageError } from './cli-context.js';
import { defineCommand } from './define-command.js';

export const feedbackCommand = defineCommand({
  name: 'feedback',
  description: 'export what people liked: faves.md and a dataset of liked replies for prepare',
  args: [{ name: 'action', description: 'export (the only one)' }],
  options: {
    out: { type: 'string', placeholder: 'DIR', default: 'data/feedback', description: 'the folder to write faves.md and liked.jsonl in' },
    project: { type: 'string', placeholder: 'ID', defaultText: 'GOOGLE_CLOUD_PROJECT', description: 'the Google Cloud project of the functions\' Firestore' },
    database: { type: 'string', placeholder: 'ID', defaultText: 'FIRESTORE_DATABASE, else (default)', description: 'the Firestore database' },
    model: { type: 'string', placeholder: 'ID', defaultText: 'every model', description: 'only replies of this model' },
    top: { type: 'integer', min: 1, default: 50, description: 'how many lines faves.md lists' },
    'min-up': { type: 'integer', min: 1, default: 1, description: 'a liked reply has at least this many 👍 (and more 👍 than 👎)' },
    'timeout-ms': { type: 'integer', min: 100, default: 30_000, description: 'longest wait for one read from Firestore' },
  },
  notes: [
    'FIRESTORE_EMULATOR_HOST=host:port reads the local emulator instead.',
    'Then: mimicbot prepare <posts.jsonl> DIR/liked.jsonl --out <dataset> to fine-tune on what people liked too.',
  ],
  async run({ args, options, context }) {
    if (args.action !== 'export') throw new UsageError(`unknown action ${JSON.stringify(args.action)}; the one action is export`);
    const projectId = options.project ?? context.env.GOOGLE_CLOUD_PROJECT;
    const emulatorHost = context.env.FIRESTORE_EMULATOR_HOST;
    if (projectId === undefined && emulatorHost !== undefined) throw new UsageError('the emulator needs a project: set --project or GOOGLE_CLOUD_PROJECT (the one the functions use)');
    const databaseId = options.database ?? context.env.FIRESTORE_DATABASE ?? '(default)';
    const where = `${emulatorHost ? `the Firestore emulator at ${emulatorHost}` : 'Firestore'} (project ${projectId ?? 'from the credentials'}, database ${databaseId})`;
    // The export only reads: the voter key, which hashes voters on a rating, is never used.
    const store = createFirestoreFeedbackStore({ projectId, databaseId, emulatorHost, voterKey: '', timeoutMs: options['timeout-ms'] });
    const rated: RatedReply[] = [];
    const bar = createProgressBar('read', { unit: 'replies', stream: context.stderr });
    try {
      const total = await store.countRated();
      for await (const reply of store.ratedReplies()) {
        if (options.model === undefined || reply.reply.model === options.model) rated.push(reply);
        bar.update(rated.length, Math.max(total, rated.length));
      }
    } catch (error) {
      if (error instanceof FeedbackStoreError) throw new CommandFailure(`cannot read feedback from ${where}: ${error.message}`);
      throw error;
    } finally {
      bar.stop();
      await store.close();
    }
    if (rated.length === 0) throw new CommandFailure(`no rated replies${options.model ? ` of model ${options.model}` : ''} in ${where}; nothing written`);

    const ranked = rankRated(rated);
    const liked = ranked.filter((r) => isLiked(r, options['min-up']));
    const faves = liked.slice(0, options.top);
    await mkdir(options.out, { recursive: true });
    const favesFile = join(options.out, 'faves.md');
    const likedFile = join(options.out, 'liked.jsonl');
    await writeFile(favesFile, favesMarkdown(faves, { rated: rated.length, exportedAt: context.clock.now() }));
    await writeFile(likedFile, likedJsonl(liked.map((r) => r.reply)));
    context.stdout.write(
      `read ${rated.length} rated replies from ${where}; ${liked.length} liked (more 👍 than 👎, at least ${options['min-up']} 👍)\n` +
        `wrote ${favesFile} (${faves.length} lines) and ${likedFile} (${liked.length} posts)\n`,
    );
  },
});
