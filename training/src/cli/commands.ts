/**
 * Every `mimicbot` command by name, in the order of the maker's path (collect, prepare, get a base model,
 * train, export, try) and then the tools. A new command is a file exporting `defineCommand({...})` and a line
 * here. Each is loaded only when it runs: together their dependencies (onnxruntime-node, twitter-api-v2, the
 * tokenizers) take seconds to load, and `mimicbot prepare` needs none of the others'.
 */
import type { Command } from './define-command.js';

export const COMMANDS: readonly (readonly [name: string, load: () => Promise<Command>])[] = [
  ['fetch', async () => (await import('./fetch.js')).fetchCommand],
  ['import', async () => (await import('./import.js')).importCommand],
  ['prepare', async () => (await import('./prepare.js')).prepareCommand],
  ['download', async () => (await import('./download.js')).downloadCommand],
  ['train', async () => (await import('./train.js')).trainCommand],
  ['export', async () => (await import('./export.js')).exportCommand],
  ['sample', async () => (await import('./sample.js')).sampleCommand],
  ['convert', async () => (await import('./convert.js')).convertCommand],
  ['init', async () => (await import('./init.js')).initCommand],
  ['quantize', async () => (await import('./quantize.js')).quantizeCommand],
  ['eval', async () => (await import('./eval.js')).evalCommand],
  ['feedback', async () => (await import('./feedback.js')).feedbackCommand],
];
