import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSafetensors, readSafetensors } from './read.js';
import { makeTempDir, rawSafetensors, writeBytes } from '@mimicbot/training/testing';
import { writeAll, writeSafetensors } from './write.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('mimicbot-safetensors-');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function halfBytes(values: number[]): Uint8Array {
  return new Uint8Array(new Uint16Array(values).buffer);
}

describe('writeSafetensors then readSafetensors', () => {
  it('round-trips float32 tensors of several shapes exactly', async () => {
    const file = join(dir, 'model.safetensors');
    const tensors = new Map([
      ['wte.weight', { shape: [3, 2], data: new Float32Array([1, -2, 3.5, 1e-30, -0, 3e38]) }],
      ['scalar', { shape: [], data: new Float32Array([Math.PI]) }],
      ['empty', { shape: [0, 4], data: new Float32Array(0) }],
      ['h.0.ln_1.bias', { shape: [5], data: new Float32Array([NaN, Infinity, -Infinity, 0.1, 7]) }],
    ]);
    await writeSafetensors(file, tensors, { metadata: { format: 'pt' } });
    const read = await readSafetensors(file);
    expect([...read.keys()]).toEqual([...tensors.keys()]);
    for (const [name, { data }] of tensors) expect(read.get(name), name).toEqual(data);
    const reader = await openSafetensors(file);
    expect(reader.metadata).toEqual({ format: 'pt' });
    expect(reader.tensors.get('wte.weight')).toMatchObject({ dtype: 'F32', shape: [3, 2] });
    await reader.close();
  });

  it('writes a header padded so the data starts on an 8-byte boundary', async () => {
    const file = join(dir, 'a.safetensors');
    await writeSafetensors(file, new Map([['x', { shape: [1], data: new Float32Array([1]) }]]));
    const bytes = await readFile(file);
    expect((8 + Number(bytes.readBigUInt64LE(0))) % 8).toBe(0);
  });

  it('writes views of larger buffers without their neighbours', async () => {
    const file = join(dir, 'views.safetensors');
    const backing = new Float32Array([9, 1, 2, 3, 9]);
    await writeSafetensors(file, new Map([['middle', { shape: [3], data: backing.subarray(1, 4) }]]));
    expect((await readSafetensors(file)).get('middle')).toEqual(new Float32Array([1, 2, 3]));
  });

  it('leaves no file behind when the data does not match the shape', async () => {
    const file = join(dir, 'bad.safetensors');
    await expect(writeSafetensors(file, new Map([['x', { shape: [2, 2], data: new Float32Array(3) }]]))).rejects.toMatchObject({
      code: 'SAFETENSORS_BAD_TENSOR',
      message: expect.stringContaining('tensor "x": shape [2, 2] has 4 elements but the data has 3'),
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports progress in bytes', async () => {
    const file = join(dir, 'p.safetensors');
    await writeSafetensors(file, new Map([
      ['a', { shape: [2], data: new Float32Array(2) }],
      ['b', { shape: [3], data: new Float32Array(3) }],
    ]));
    const calls: [number, number][] = [];
    await readSafetensors(file, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[8, 20], [20, 20]]);
  });
});

describe('reading half-precision tensors', () => {
  it('converts F16 exactly, subnormals, infinities and NaN included', async () => {
    // 1, -2, 0.5, 65504 (max), 2^-24 (smallest subnormal), +inf, -0, NaN
    const bits = [0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x7c00, 0x8000, 0x7e00];
    const file = await writeBytes(join(dir, 'f16.safetensors'), rawSafetensors(
      { w: { dtype: 'F16', shape: [2, 4], data_offsets: [0, 16] } },
      halfBytes(bits),
    ));
    const w = (await readSafetensors(file)).get('w')!;
    expect([...w.subarray(0, 7)]).toEqual([1, -2, 0.5, 65504, 2 ** -24, Infinity, -0]);
    expect(w[7]).toBeNaN();
  });

  it('converts BF16 as the top half of a float32', async () => {
    // 1, -2, 3.140625 (pi rounded), 1e38-ish, +inf
    const bits = [0x3f80, 0xc000, 0x4049, 0x7e96, 0x7f80];
    const file = await writeBytes(join(dir, 'bf16.safetensors'), rawSafetensors(
      { b: { dtype: 'BF16', shape: [5], data_offsets: [0, 10] } },
      halfBytes(bits),
    ));
    const b = (await readSafetensors(file)).get('b')!;
    expect([...b]).toEqual([1, -2, 3.140625, new Float32Array(new Uint32Array([0x7e960000]).buffer)[0], Infinity]);
  });

  it('reads a mix of dtypes at unaligned offsets', async () => {
    const f32 = new Uint8Array(new Float32Array([1.5, -2.5]).buffer);
    const data = new Uint8Array([...halfBytes([0x3c00]), ...f32, ...halfBytes([0x4000])]);
    // An odd-length header puts every tensor at an odd file offset.
    const header = JSON.stringify({
      h: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
      f: { dtype: 'F32', shape: [2], data_offsets: [2, 10] },
      b: { dtype: 'BF16', shape: [1], data_offsets: [10, 12] },
    });
    const file = await writeBytes(join(dir, 'mix.safetensors'), rawSafetensors(header.length % 2 ? header : `${header} `, data));
    const read = await readSafetensors(file);
    expect(read.get('h')).toEqual(new Float32Array([1]));
    expect(read.get('f')).toEqual(new Float32Array([1.5, -2.5]));
    expect(read.get('b')).toEqual(new Float32Array([2]));
  });
});

describe('reading a tensor in chunks', () => {
  it('yields float32 pieces that join up to the tensor, for F32 and BF16', async () => {
    const values = Array.from({ length: 10 }, (_, i) => i - 4.5);
    const bf16 = Uint16Array.from(new Uint32Array(new Float32Array(values).buffer), (bits) => bits >>> 16);
    const f32 = new Uint8Array(new Float32Array(values).buffer);
    const file = await writeBytes(join(dir, 'chunks.safetensors'), rawSafetensors(
      { f: { dtype: 'F32', shape: [10], data_offsets: [0, 40] }, b: { dtype: 'BF16', shape: [10], data_offsets: [40, 60] } },
      new Uint8Array([...f32, ...new Uint8Array(bf16.buffer)]),
    ));
    const reader = await openSafetensors(file);
    for (const name of ['f', 'b']) {
      const pieces: number[][] = [];
      for await (const piece of reader.readChunks(name, 4)) pieces.push([...piece]);
      expect(pieces.map((p) => p.length), name).toEqual([4, 4, 2]);
      expect(pieces.flat(), name).toEqual(values);
    }
    await reader.close();
  });
});

describe('writeAll', () => {
  it('resumes after short writes and sends at most 256 buffers per call', async () => {
    const written: number[] = [];
    let calls = 0;
    const stingySink = {
      async writev(buffers: Uint8Array[]) {
        calls++;
        expect(buffers.length).toBeLessThanOrEqual(256);
        // Write at most 5 bytes per call, like a kernel under pressure.
        let budget = 5;
        for (const b of buffers) {
          const n = Math.min(budget, b.byteLength);
          written.push(...b.subarray(0, n));
          budget -= n;
          if (budget === 0) break;
        }
        return { bytesWritten: 5 - budget };
      },
    };
    const buffers = Array.from({ length: 300 }, (_, i) => new Uint8Array([i % 256, (i + 1) % 256, 7]));
    await writeAll(stingySink, buffers);
    expect(written).toEqual(buffers.flatMap((b) => [...b]));
    expect(calls).toBe(Math.ceil((300 * 3) / 5));
  });
});
