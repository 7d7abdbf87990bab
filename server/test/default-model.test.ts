/**
 * The model folder the server serves when MODEL_DIR is unset, as it ships: its card must give the one-line
 * description that /v1/models, the ready line and the demo's subtitle show (a card whose front matter is not
 * YAML loses it silently but for one start-up line).
 */
import { describe, expect, it } from 'vitest';
import { pickGraph, readModelCard, readModelConfig } from '@mimicbot/model-format';
import { DEFAULT_MODEL_DIR } from '../src/config.js';

describe('the shipped default model', () => {
  it('has a card whose front matter gives its one-line description', async () => {
    const card = await readModelCard(DEFAULT_MODEL_DIR);
    expect(card.description).toMatch(/^A [\d.]+M-parameter GPT-2 trained from scratch on Debian's fortunes: /);
  });

  it('has the config and the graph the server serves', async () => {
    expect((await readModelConfig(DEFAULT_MODEL_DIR)).vocabSize).toBe(8192);
    expect(pickGraph(DEFAULT_MODEL_DIR)).toMatchObject({ file: 'server_decoder.onnx', dtype: 'fp32' });
  });
});
