/**
 * Unedited samples for the card, each taken by the `sample` command exactly as the card prints it, so a
 * reader can run the line and get the same text.
 */
import { captureIo } from '../../testing/index.js';
import { sampleCommand } from '../../src/cli/sample.js';

export interface CardSample {
  command: string;
  text: string;
}

const SETTINGS = ['--temperature', '0.8', '--top-k', '40', '--max-tokens', '60'];
const UNCONDITIONAL_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const PROMPTED: [string, number][] = [
  ['The meaning of life is', 1],
  ['The meaning of life is', 2],
  ['Never trust', 1],
  ['Computers are', 1],
];

export async function takeSamples(modelDir: string): Promise<CardSample[]> {
  const runs: string[][] = [
    ...UNCONDITIONAL_SEEDS.map((seed) => [...SETTINGS, '--seed', String(seed)]),
    ...PROMPTED.map(([prompt, seed]) => ['--prompt', prompt, ...SETTINGS, '--seed', String(seed)]),
  ];
  const samples: CardSample[] = [];
  for (const args of runs) {
    const io = captureIo();
    if ((await sampleCommand.run([modelDir, ...args], io)) !== 0) throw new Error(`sample ${args.join(' ')}: ${io.err()}`);
    const shown = args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ');
    samples.push({ command: `npm run mimicbot -- sample server/default-model ${shown}`, text: io.out().trimEnd() });
  }
  return samples;
}
