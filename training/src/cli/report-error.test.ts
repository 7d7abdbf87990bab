import { ModelFolderError } from '@mimicbot/model-format';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors.js';
import { describeCliError } from './report-error.js';

describe('describeCliError', () => {
  it('prints a typed error as one line naming the file', () => {
    const error = new CheckpointError('CHECKPOINT_BAD_CONFIG', 'ck/config.json', 'missing key "n_head"');
    expect(describeCliError(error)).toBe('mimicbot: ck/config.json: missing key "n_head"');
  });

  it("prints the model-folder format's error the same way", () => {
    const error = new ModelFolderError('MODEL_CONFIG_INVALID', 'm/config.json', '"n_layer" 1000000000000000 is more than the 256 supported', { field: 'n_layer' });
    expect(describeCliError(error)).toBe('mimicbot: m/config.json: "n_layer" 1000000000000000 is more than the 256 supported');
  });

  it('keeps a multi-line problem on one line', () => {
    const error = new CheckpointError('CHECKPOINT_BAD_CONFIG', 'f', 'first\n  second');
    expect(describeCliError(error)).toBe('mimicbot: f: first second');
  });

  it('prints a file system error with its path and no stack', () => {
    const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/out/model.onnx' });
    expect(describeCliError(error)).toBe('mimicbot: /out/model.onnx: no space left on the device');
  });

  it('keeps the stack of an unexpected error, since it is a bug', () => {
    const text = describeCliError(new TypeError('x is undefined'));
    expect(text).toMatch(/^mimicbot: internal error: TypeError: x is undefined\n\s+at /);
  });
});
