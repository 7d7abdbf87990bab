import { describe, expect, it } from 'vitest';
import { ConfigError, envReader } from './config-reader.js';
import { parseSharedConfig } from './config.js';

const endpoint = { MODEL_ENDPOINT: 'http://127.0.0.1:8080' };

describe('parseSharedConfig', () => {
  it('has defaults for everything but the model endpoint', () => {
    const config = parseSharedConfig(endpoint);
    expect(config.modelEndpoint).toBe('http://127.0.0.1:8080');
    expect(config.modelRetries).toBe(3);
    expect(config.outputFilter.enabled).toBe(true);
    expect(config.store).toEqual({ kind: 'memory' });
    expect(config.gate).toEqual({ candidates: 4, minWords: 2, maxCharacterRun: 4, maxRepeats: 2, priorTokens: 8 });
  });

  it("reads the quality gate's settings, and refuses ones out of range", () => {
    const config = parseSharedConfig({
      ...endpoint,
      GATE_CANDIDATES: '1',
      GATE_MIN_WORDS: '0',
      GATE_MAX_CHAR_RUN: '6',
      GATE_MAX_REPEATS: '3',
      GATE_PRIOR_TOKENS: '0.5',
    });
    expect(config.gate).toEqual({ candidates: 1, minWords: 0, maxCharacterRun: 6, maxRepeats: 3, priorTokens: 0.5 });
    expect(() => parseSharedConfig({ ...endpoint, GATE_CANDIDATES: '0' })).toThrow(/^GATE_CANDIDATES: must be an integer from 1 to 16/);
    expect(() => parseSharedConfig({ ...endpoint, GATE_MAX_CHAR_RUN: '2.5' })).toThrow(/^GATE_MAX_CHAR_RUN: must be an integer/);
  });

  it('reads every variable; REQUEST_TOKEN and MODEL_AUDIENCE may both be set', () => {
    const config = parseSharedConfig({
      MODEL_ENDPOINT: 'https://model.example.run.app',
      REQUEST_TOKEN: 'secret',
      MODEL_AUDIENCE: 'https://model.example.run.app',
      MODEL_TIMEOUT_MS: '5000',
      MODEL_RETRIES: '0',
      REDIS_URL: 'redis://127.0.0.1:6379',
      OUTPUT_FILTER: 'off',
      OUTPUT_FILTER_WORDS: 'a, b,,c',
      MAX_TOKENS: '40',
    });
    expect(config).toMatchObject({
      requestToken: 'secret',
      modelAudience: 'https://model.example.run.app',
      modelTimeoutMs: 5000,
      modelRetries: 0,
      store: { kind: 'redis', url: 'redis://127.0.0.1:6379' },
      outputFilter: { enabled: false, words: ['a', 'b', 'c'] },
      generation: { maxTokens: 40 },
    });
  });

  it('picks the store: STORE when set; else Redis with REDIS_URL, Firestore on Google Cloud or with the emulator, memory otherwise', () => {
    expect(parseSharedConfig({ ...endpoint, K_SERVICE: 'mimicbot-slack', GOOGLE_CLOUD_PROJECT: 'p' }).store).toEqual({ kind: 'firestore', projectId: 'p', databaseId: '(default)', emulatorHost: undefined });
    expect(parseSharedConfig({ ...endpoint, FIRESTORE_EMULATOR_HOST: '127.0.0.1:8681', GOOGLE_CLOUD_PROJECT: 'demo-x' }).store).toMatchObject({ kind: 'firestore', emulatorHost: '127.0.0.1:8681' });
    expect(parseSharedConfig({ ...endpoint, STORE: 'Firestore', FIRESTORE_DATABASE: 'bots' }).store).toEqual({ kind: 'firestore', projectId: undefined, databaseId: 'bots', emulatorHost: undefined });
    expect(parseSharedConfig({ ...endpoint, REDIS_URL: 'redis://h:6379', K_SERVICE: 'x' }).store).toEqual({ kind: 'redis', url: 'redis://h:6379' });
    expect(parseSharedConfig({ ...endpoint, STORE: 'memory', K_SERVICE: 'x' }).store).toEqual({ kind: 'memory' });
  });

  it('says what is wrong with a store setting', () => {
    expect(() => parseSharedConfig({ ...endpoint, STORE: 'postgres' })).toThrow('STORE: must be one of firestore, redis, memory, got "postgres"');
    expect(() => parseSharedConfig({ ...endpoint, STORE: 'redis' })).toThrow(/^REDIS_URL: is required with STORE=redis/);
    expect(() => parseSharedConfig({ ...endpoint, STORE: 'firestore', REDIS_URL: 'redis://h:6379' })).toThrow('REDIS_URL: is set but STORE is firestore; unset one of them');
    expect(() => parseSharedConfig({ ...endpoint, FIRESTORE_EMULATOR_HOST: 'http://127.0.0.1:8681', GOOGLE_CLOUD_PROJECT: 'p' })).toThrow(/^FIRESTORE_EMULATOR_HOST: must be host:port/);
    expect(() => parseSharedConfig({ ...endpoint, FIRESTORE_EMULATOR_HOST: '127.0.0.1:8681' })).toThrow(/^GOOGLE_CLOUD_PROJECT: is required with FIRESTORE_EMULATOR_HOST/);
  });

  it('requires MODEL_ENDPOINT, with no silent default, saying what it is', () => {
    expect(() => parseSharedConfig({})).toThrow(/^MODEL_ENDPOINT: is required \(the model server's URL, e\.g\. http:\/\/localhost:8080/);
  });

  it('suggests the scheme when MODEL_ENDPOINT is a bare host and port', () => {
    expect(() => parseSharedConfig({ MODEL_ENDPOINT: 'localhost:8080' })).toThrow(
      'MODEL_ENDPOINT: must be a URL starting with http:// or https://, got "localhost:8080" (did you mean http://localhost:8080?)',
    );
  });

  it('names the variable and the expected form when a value is bad', () => {
    expect(() => parseSharedConfig({ ...endpoint, MODEL_RETRIES: 'many' })).toThrow(/^MODEL_RETRIES: must be an integer from 0 to 10/);
    expect(() => parseSharedConfig({ MODEL_ENDPOINT: 'not a url' })).toThrow(/^MODEL_ENDPOINT: is not a URL/);
    expect(() => parseSharedConfig({ MODEL_ENDPOINT: 'redis://host:6379' })).toThrow(/^MODEL_ENDPOINT: must be a URL starting with http:\/\/ or https:\/\/, got redis:\/\//);
    expect(() => parseSharedConfig({ ...endpoint, REDIS_URL: 'http://host' })).toThrow(/^REDIS_URL: must be a URL starting with redis:\/\/ or rediss:\/\//);
    expect(() => parseSharedConfig({ ...endpoint, OUTPUT_FILTER: 'maybe' })).toThrow(/^OUTPUT_FILTER:/);
  });

  it('reports every problem at once, in reading order', () => {
    const error = (() => {
      try {
        parseSharedConfig({ MODEL_RETRIES: 'many', TEMPERATURE: '9', OUTPUT_FILTER: 'maybe' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['MODEL_ENDPOINT', 'MODEL_RETRIES', 'OUTPUT_FILTER', 'TEMPERATURE']);
    expect((error as ConfigError).message.split('\n')).toHaveLength(4);
  });
});

describe('envReader', () => {
  it('reads an optional URL as undefined when unset or blank, the value when good, a problem otherwise', () => {
    const read = envReader({ A: '  ', B: 'http://127.0.0.1:9000', C: 'nope', D: 'ftp://host' });
    const rules = { schemes: ['http', 'https'] } as const;
    expect([read.url('UNSET', rules), read.url('A', rules), read.url('B', rules)]).toEqual([undefined, undefined, 'http://127.0.0.1:9000']);
    read.url('C', rules);
    read.url('D', rules);
    expect(() => read.done(0)).toThrow(/^C: is not a URL: "nope"\nD: must be a URL starting with http:\/\/ or https:\/\/, got ftp:\/\/$/);
  });

  it('returns the value from done when nothing was wrong, and takes problems found by the caller', () => {
    const read = envReader({ N: '5' });
    expect(read.done(read.number('N', 1, { min: 0, max: 10, integer: true }))).toBe(5);
    read.problem('PAIR', 'needs its partner');
    expect(() => read.done(1)).toThrow(/^PAIR: needs its partner$/);
  });
});
