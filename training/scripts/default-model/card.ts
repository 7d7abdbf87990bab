/**
 * The default model's card (server/default-model/README.md): before/after figures, the recipe, unedited
 * samples with the commands that give them, and the front matter whose `description:` the server shows in
 * `/v1/models`.
 */
import { writeFile } from 'node:fs/promises';
import type { FolderBudget } from './budget.js';
import type { Measured } from './measure.js';
import type { Recipe } from './recipe.js';
import type { CardSample } from './samples.js';

export interface CardFacts {
  recipe: Recipe;
  parameters: number;
  steps: number;
  trainBytes: number;
  budget: FolderBudget;
  measured: Measured;
  samples: CardSample[];
}

/** The model this one replaces, as its own card gave it (same validation split, same measure). */
const BEFORE = {
  shape: '4 layers, 4 heads, 160 channels, context 256 bytes (1.32M parameters)',
  tokenizer: 'bytes (257 ids)',
  training: '3,000 steps of 8 x 256 bytes (6.3M bytes)',
  bitsPerByte: 2.48,
  files: '10.6 MB (model.onnx = onnx/model.onnx, server_decoder.onnx)',
};

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function cardText(f: CardFacts): string {
  const r = f.recipe;
  const m = f.measured;
  const millions = (f.parameters / 1e6).toFixed(2);
  // Written below as a JSON string, which YAML reads as a quoted scalar: the sentence has a ": " in it,
  // which would make a plain scalar a nested mapping and cost the card its description.
  const description = `A ${millions}M-parameter GPT-2 trained from scratch on Debian's fortunes: it writes like a fortune cookie, not like any one person.`;
  const samples = f.samples.map((s) => `\`${s.command}\`\n\n\`\`\`text\n${s.text}\n\`\`\``).join('\n\n');
  return `---
description: ${JSON.stringify(description)}
---
# The default model

What \`npm start\` serves when \`MODEL_DIR\` is not set: a small GPT-2 trained from scratch by this project's
own trainer (\`training/src/train/\`, ONNX Runtime on CPU), with a byte-level BPE vocabulary learned from the
same text by this project's own BPE trainer (\`training/src/tokenizer/train-bpe.ts\`).

| | before | now |
|---|---|---|
| shape | ${BEFORE.shape} | ${r.layers} layers, ${r.heads} heads, ${r.embd} channels, context ${r.positions} tokens (${millions}M parameters) |
| tokenizer | ${BEFORE.tokenizer} | byte-level BPE, ${int(r.vocabSize)} ids (\`<|endoftext|>\` = ${r.vocabSize - 1}), learned from train.txt |
| training | ${BEFORE.training} | ${int(f.steps)} steps of ${r.batch} x ${r.seq} tokens |
| **validation, bits per byte** | **${BEFORE.bitsPerByte.toFixed(2)}** | **${m.bitsPerByte.toFixed(2)}** (${m.natsPerToken.toFixed(3)} nats per token) |
| decoding steps for a post (validation mean) | ${m.byteStepsPerPost.toFixed(1)} | ${m.stepsPerPost.toFixed(1)} |
| files in the repository | ${BEFORE.files} | ${mb(f.budget.uniqueBytes)} (${mb(f.budget.diskBytes)} on disk: model.onnx = onnx/model.onnx) |
| X poster drafts passing the quality gate (\`npm run gate:rate -w functions/twitter -- --endpoint <server> --drafts 200\`) | - | measure against the served folder and write it here |

- **Corpus**: \`/usr/share/games/fortunes/*\` (\`apt-get install fortunes\`), offensive ones (\`off/\`) and
  \`ascii-art\` left out, each entry re-flowed to one paragraph with its attribution on its own line.
  Validation: the same ${int(m.posts)} entries as before (every entry of at most 280 characters, 5% by hash).
  Training: the other 95%, the longer entries of the same files, and Ambrose Bierce's *The Devil's
  Dictionary* (public domain; \`apt-get install dict-devil\`), whose definitions the fortunes quote; added
  text that quotes a validation entry is left out. ${mb(f.trainBytes)} of training text.
- **Bits per byte** = total validation loss in nats / (validation bytes x ln 2), over the whole split, each
  \`<|endoftext|>\` counted as one byte (so for the byte-level model it is its loss per token / ln 2); the
  same text whatever the tokenizer: ${int(m.bytes)} bytes, ${int(m.predictions)} predictions.
- **Why this shape**: sized to keep two fp32 graphs within the folder's 25 MB (no quantized graphs
  here: at this size fp32 is fast), and the vocabulary that won pilots at equal wall time over 2,048 and
  4,096 ids (figures in \`training/scripts/default-model/recipe.ts\`).
- **Schedule**: AdamW (0.9, 0.95, weight decay ${r.weightDecay} on matmul weights), learning rate ${r.lr} after
  ${r.warmup} warm-up steps, cosine to ${r.minLr}, gradient clip 1.0, packed batches, seed ${r.seed}.

Reproduce it (hours on two cores; re-running resumes from the checkpoint in \`<work>/run/\`):

\`\`\`sh
apt-get install fortunes dict-devil
npm run train:default -w training                          # corpus, BPE, training, then this folder
npm run train:default -w training -- --stage train         # or: train only (in the background) ...
npm run train:default -w training -- --stage finalize      # ... and ship it when it is done
\`\`\`

## Samples

Unedited, each from the command above it (temperature 0.8, top-k 40, 60 tokens; no prompt starts from
\`<|endoftext|>\`).

${samples}

For a bot that sounds like a person, fine-tune GPT-2 on their posts (\`train --from\`) and point
\`MODEL_DIR\` at the exported folder. The loss curve is \`assets/loss-curve.svg\`.
`;
}

export async function writeCard(file: string, facts: CardFacts): Promise<void> {
  await writeFile(file, cardText(facts));
}
