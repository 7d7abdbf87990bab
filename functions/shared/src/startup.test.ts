import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-reader.js';
import { configOrExit, describeConfigError } from './startup.js';

describe('configOrExit', () => {
  it('returns the config when it parses', () => {
    expect(configOrExit('demo', () => ({ ok: true }))).toEqual({ ok: true });
  });

  it('prints every problem on its own line and exits 1', () => {
    const lines: string[] = [];
    const error = new ConfigError([
      { variable: 'MODEL_ENDPOINT', message: 'is required' },
      { variable: 'MAX_TOKENS', message: 'must be an integer' },
    ]);
    expect(() =>
      configOrExit(
        'demo',
        () => {
          throw error;
        },
        { writeLine: (line) => lines.push(line), exit: (code) => { throw new Error(`exit ${code}`); } },
      ),
    ).toThrow('exit 1');
    expect(lines).toEqual(describeConfigError('demo', error));
    expect(lines).toEqual([
      'demo: cannot start: 2 problems with its environment variables:',
      '  MODEL_ENDPOINT: is required',
      '  MAX_TOKENS: must be an integer',
    ]);
  });

  it('lets any other error through', () => {
    expect(() => configOrExit('demo', () => { throw new TypeError('bug'); }, { exit: () => { throw new Error('must not exit'); } })).toThrow(TypeError);
  });
});
