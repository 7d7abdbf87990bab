/**
 * The AdamW update of `adamw.ts` as a WebAssembly SIMD kernel (f32x4), ~5x the JS loop at 124M parameters
 * (`npm run bench:adamw -w training`: 214 ms against 1,092 ms per update).
 *
 * The win needs the weights and both moments to live in the module's memory: copying p, m and v in and
 * out per update costs more than the JS loop (measured: chunked copies made it 0.6-0.7x). So `adopt`
 * moves them there once and replaces the maps' entries with views over that memory (onnxruntime takes
 * those views as zero-copy inputs like any Float32Array); only the gradients, which onnxruntime hands
 * back as fresh arrays each step, are copied in, a chunk at a time. Same math as `adamwUpdate`, in
 * float32 instead of float64 intermediates, so results agree to float32 rounding.
 */
import type { Gpt2Weights } from '../model/gpt2-config.js';
import { adamwUpdate, DEFAULT_ADAMW, decays, type AdamWOptions, type AdamWState } from './adamw.js';

export type AdamWUpdate = (weights: Gpt2Weights, grads: Gpt2Weights, state: AdamWState, lr: number, options?: AdamWOptions, gradScale?: number) => void;

const PAGE = 65536;
const MAX_BYTES = 65536 * PAGE; // wasm32's 4 GiB
const GRAD_CHUNK = 65536; // floats of gradient staged per kernel call (256 KB: stays in cache)

// --- the kernel's bytes, assembled here so no toolchain is needed -------------------------------
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const get = (i: number) => [0x20, i], set = (i: number) => [0x21, i];
const LOAD = [...simd(0x00), 4, 0], STORE = [...simd(0x0b), 4, 0], SPLAT = simd(0x13);
const SQRT = simd(0xe3), ADD = simd(0xe4), SUB = simd(0xe5), MUL = simd(0xe6), DIV = simd(0xe7);

/**
 * adamw(p, g, m, v, bytes: i32 offsets/length; b1, a1, b2, a2, keep, step, eps, gscale: f32), for i < bytes by 16:
 *   gi = g*gscale; m = b1 m + a1 gi; v = b2 v + a2 gi^2; p = p keep - step m / (sqrt(v) + eps)
 */
function kernelBytes(): Uint8Array<ArrayBuffer> {
  const [P, G, M, V, N, I, GI, MI, VI] = [0, 1, 2, 3, 4, 13, 22, 23, 24];
  const [B1, A1, B2, A2, KEEP, STEP, EPS, GS] = [14, 15, 16, 17, 18, 19, 20, 21]; // the f32 params, splatted
  const at = (base: number) => [...get(base), ...get(I), 0x6a]; // base + i
  const body = [2, 1, 0x7f, 11, 0x7b]; // locals: i32 i; 11 v128
  for (let k = 0; k < 8; k++) body.push(...get(5 + k), ...SPLAT, ...set(B1 + k));
  body.push(
    ...[0x02, 0x40, 0x03, 0x40], // block loop
    ...get(I), ...get(N), 0x4f, 0x0d, 1, // if i >= bytes: break
    ...at(G), ...LOAD, ...get(GS), ...MUL, ...set(GI),
    ...at(M), ...LOAD, ...get(B1), ...MUL, ...get(GI), ...get(A1), ...MUL, ...ADD, ...set(MI),
    ...at(M), ...get(MI), ...STORE,
    ...at(V), ...LOAD, ...get(B2), ...MUL, ...get(GI), ...get(GI), ...MUL, ...get(A2), ...MUL, ...ADD, ...set(VI),
    ...at(V), ...get(VI), ...STORE,
    ...at(P), ...at(P), ...LOAD, ...get(KEEP), ...MUL, ...get(STEP), ...get(MI), ...MUL, ...get(VI), ...SQRT, ...get(EPS), ...ADD, ...DIV, ...SUB, ...STORE,
    ...get(I), 0x41, 16, 0x6a, ...set(I), // i += 16
    ...[0x0c, 0, 0x0b, 0x0b, 0x0b], // continue; end loop, block, function
  );
  const i32 = 0x7f, f32 = 0x7d;
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, [1, 0x60, 13, i32, i32, i32, i32, i32, f32, f32, f32, f32, f32, f32, f32, f32, 0]),
    ...section(2, [1, ...name('env'), ...name('mem'), 2, 0, 1]), // imports memory env.mem
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('adamw'), 0, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
type Kernel = (p: number, g: number, m: number, v: number, bytes: number, ...f32: number[]) => void;

/**
 * Moves `weights` and `state`'s moments into one WebAssembly memory (replacing the maps' entries with
 * views, values unchanged) and returns an update with `adamwUpdate`'s signature that works on them in
 * place. Falls back to `adamwUpdate` when they would not fit in wasm32's 4 GiB (above ~350M parameters).
 * The maps must keep those views: an update given other arrays throws rather than update a stale copy.
 */
export function adoptWasmAdamW(weights: Gpt2Weights, state: AdamWState): AdamWUpdate {
  const stride = (p: Float32Array) => Math.ceil((p.length * 4) / 16) * 16; // bytes, whole f32x4 lanes
  const offsets = new Map<string, number>(); // byte offset of p; m and v follow it
  let bytes = GRAD_CHUNK * 4; // the gradient staging area comes first
  for (const [n, p] of weights) {
    offsets.set(n, bytes);
    bytes += 3 * stride(p);
  }
  if (bytes > MAX_BYTES) return adamwUpdate;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE), maximum: Math.ceil(bytes / PAGE) });
  const kernel = new WebAssembly.Instance(new WebAssembly.Module(kernelBytes()), { env: { mem: memory } }).exports.adamw as Kernel;
  const move = (map: Gpt2Weights, n: string, at: number, length: number) => {
    const from = map.get(n);
    if (!from || from.length !== length) throw new Error(`adamw: no state for ${n}`);
    const view = new Float32Array(memory.buffer, at, length);
    view.set(from);
    map.set(n, view);
  };
  for (const [n, p] of weights) {
    const at = offsets.get(n)!;
    move(state.m, n, at + stride(p), p.length);
    move(state.v, n, at + 2 * stride(p), p.length);
    move(weights, n, at, p.length); // last: `p` is the array being replaced
  }
  const staging = new Float32Array(memory.buffer, 0, GRAD_CHUNK);

  return (w, grads, st, lr, options = DEFAULT_ADAMW, gradScale = 1) => {
    const { beta1: b1, beta2: b2, eps } = options;
    st.step++;
    // p -= (lr / c1) m / (sqrt(v) / sqrt(c2) + eps)  ==  p -= (lr sqrt(c2) / c1) m / (sqrt(v) + eps sqrt(c2))
    const sqrtC2 = Math.sqrt(1 - b2 ** st.step);
    const step = (lr / (1 - b1 ** st.step)) * sqrtC2;
    for (const [n, p] of w) {
      const at = offsets.get(n), g = grads.get(n), m = st.m.get(n), v = st.v.get(n);
      if (at === undefined || p.buffer !== memory.buffer || m?.buffer !== memory.buffer || v?.buffer !== memory.buffer) {
        throw new Error(`adamw: ${n} is not in this optimizer's memory (the weights or moments were replaced after adoptWasmAdamW)`);
      }
      if (!g) throw new Error(`adamw: no gradient for ${n}`);
      const keep = 1 - lr * (decays(n) ? options.weightDecay : 0);
      const s = stride(p);
      for (let o = 0; o < p.length; o += GRAD_CHUNK) {
        const len = Math.min(GRAD_CHUNK, p.length - o);
        staging.set(g.subarray(o, o + len));
        const vec = len & ~3; // the kernel takes whole f32x4 lanes; the tail is done below in JS
        kernel(at + o * 4, 0, at + s + o * 4, at + 2 * s + o * 4, vec * 4, b1, 1 - b1, b2, 1 - b2, keep, step, eps * sqrtC2, gradScale);
        for (let j = vec; j < len; j++) {
          const i = o + j, gi = staging[j] * gradScale;
          m[i] = b1 * m[i] + (1 - b1) * gi;
          v[i] = b2 * v[i] + (1 - b2) * gi * gi;
          p[i] = p[i] * keep - (step * m[i]) / (Math.sqrt(v[i]) + eps * sqrtC2);
        }
      }
    }
  };
}
