import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafetensorsError } from '../errors.js';
import { openSafetensors, readSafetensors } from './read.js';
import { makeTempDir, rawSafetensors, writeBytes } from '@mimicbot/training/testing';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('mimicbot-safetensors-');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const eightBytes = new Uint8Array(8);
const one = (offsets: [number, number], shape = [2], dtype = 'F32') => ({ w: { dtype, shape, data_offsets: offsets } });

/** Each case: the file's bytes, the error code and the words the one-line message must contain. */
const cases: [string, () => Uint8Array, string, RegExp][] = [
  ['an empty file', () => new Uint8Array(0), 'SAFETENSORS_TRUNCATED', /truncated: 0 bytes/],
  ['a file cut inside the length', () => new Uint8Array(5), 'SAFETENSORS_TRUNCATED', /truncated: 5 bytes/],
  ['a header length past the end', () => rawSafetensors(one([0, 8]), eightBytes).subarray(0, 20), 'SAFETENSORS_TRUNCATED', /header length says \d+ bytes but only 12 follow/],
  ['an absurd header length', () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x7b]), 'SAFETENSORS_BAD_HEADER', /corrupt header length/],
  ['a header that is not JSON', () => rawSafetensors('{"w": {"dtype": ', eightBytes), 'SAFETENSORS_BAD_HEADER', /not valid JSON/],
  ['a header that is a JSON list', () => rawSafetensors('[1, 2]'), 'SAFETENSORS_BAD_HEADER', /not an object/],
  ['an unknown dtype', () => rawSafetensors(one([0, 8], [2], 'F31'), eightBytes), 'SAFETENSORS_BAD_DTYPE', /tensor "w": unknown dtype "F31"/],
  ['a negative shape', () => rawSafetensors(one([0, 8], [-2]), eightBytes), 'SAFETENSORS_BAD_HEADER', /tensor "w": "shape"/],
  ['missing data_offsets', () => rawSafetensors({ w: { dtype: 'F32', shape: [2] } }, eightBytes), 'SAFETENSORS_BAD_HEADER', /tensor "w": "data_offsets"/],
  ['offsets that end before they begin', () => rawSafetensors(one([8, 0]), eightBytes), 'SAFETENSORS_BAD_OFFSETS', /end before they begin/],
  ['a byte count that does not fit dtype x shape', () => rawSafetensors(one([0, 8], [3]), eightBytes), 'SAFETENSORS_BAD_TENSOR', /F32 \[3\] needs 12 bytes but data_offsets \[0, 8\] span 8/],
  ['data cut short', () => rawSafetensors(one([0, 8]), new Uint8Array(5)), 'SAFETENSORS_TRUNCATED', /tensor "w" ends at byte \d+ but the file has \d+ bytes/],
  [
    'overlapping tensors',
    () => rawSafetensors({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eightBytes),
    'SAFETENSORS_BAD_OFFSETS',
    /tensors "a" and "b" overlap/,
  ],
  [
    'a gap between tensors',
    () => rawSafetensors({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, new Uint8Array(12)),
    'SAFETENSORS_BAD_OFFSETS',
    /gap of 4 bytes before tensor "b"/,
  ],
  ['trailing bytes no tensor claims', () => rawSafetensors(one([0, 8]), new Uint8Array(12)), 'SAFETENSORS_BAD_OFFSETS', /4 bytes after the last tensor/],
  ['metadata that is not strings', () => rawSafetensors({ __metadata__: { n: 1 } }), 'SAFETENSORS_BAD_HEADER', /"__metadata__"/],
];

describe('a corrupt or truncated safetensors file', () => {
  it.each(cases)('%s gives one clear error naming the file', async (_name, bytes, code, words) => {
    const file = await writeBytes(join(dir, 'model.safetensors'), bytes());
    const error = await readSafetensors(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetensorsError);
    expect(error).toMatchObject({ code, file });
    const message = (error as Error).message;
    expect(message.startsWith(`${file}: `)).toBe(true);
    expect(message).toMatch(words);
    expect(message).not.toContain('\n');
  });

  it('accepts unsorted header entries when their offsets tile the data', async () => {
    const file = await writeBytes(join(dir, 'ok.safetensors'), rawSafetensors(
      { b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } },
      new Uint8Array(new Float32Array([1, 2]).buffer),
    ));
    const read = await readSafetensors(file);
    expect([...read.keys()]).toEqual(['a', 'b']);
    expect(read.get('b')).toEqual(new Float32Array([2]));
  });

  it('names a missing file', async () => {
    const file = join(dir, 'nope.safetensors');
    await expect(readSafetensors(file)).rejects.toMatchObject({ code: 'SAFETENSORS_IO', message: `${file}: cannot open: ENOENT` });
  });

  it('refuses to read an integer tensor as float32 but still opens the file', async () => {
    const file = await writeBytes(join(dir, 'int.safetensors'), rawSafetensors(one([0, 16], [2], 'I64'), new Uint8Array(16)));
    const reader = await openSafetensors(file);
    await expect(reader.read('w')).rejects.toMatchObject({ code: 'SAFETENSORS_BAD_DTYPE', message: expect.stringContaining('dtype I64') });
    await reader.close();
  });
});
