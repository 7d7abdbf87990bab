import ort from 'onnxruntime-node';
const s = await ort.InferenceSession.create(process.env.G ?? '../models/bench-gpt2-124m/server_decoder_q4.onnx', { graphOptimizationLevel: 'all', intraOpNumThreads: 2, enableProfiling: process.env.PROF === '1', profileFilePrefix: '/tmp/ortprof' });
const P = 96, L = 12;
const feeds = { input_ids: new ort.Tensor('int64', BigInt64Array.of(5n), [1, 1]), attention_mask: new ort.Tensor('int64', new BigInt64Array(P + 1).fill(1n), [1, P + 1]), position_ids: new ort.Tensor('int64', BigInt64Array.of(BigInt(P)), [1, 1]), logits_positions: new ort.Tensor('int64', BigInt64Array.of(-1n), [1]) };
for (let l = 0; l < L; l++) { feeds[`past_key.${l}`] = new ort.Tensor('float32', new Float32Array(12 * P * 64).fill(0.01), [1, 12, P, 64]); feeds[`past_value.${l}`] = new ort.Tensor('float32', new Float32Array(12 * P * 64).fill(0.01), [1, 12, P, 64]); }
for (let i = 0; i < 20; i++) await s.run(feeds);
const t = performance.now(); const N = 200;
for (let i = 0; i < N; i++) await s.run(feeds);
console.log('ms/step', ((performance.now() - t) / N).toFixed(3), s.inputNames.length, s.outputNames.length);
if (process.env.PROF === '1') console.log(s.endProfiling());
