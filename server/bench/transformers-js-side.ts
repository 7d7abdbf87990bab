/**
 * The peer: transformers.js text generation on the same model folder (it loads onnx/model.onnx), run in
 * its own process so its RSS is its own. Concurrent "clients" are concurrent `generate()` calls in this
 * process (transformers.js has no server and no cross-request batching: onnx.md §2); no HTTP, so this
 * side pays no HTTP costs. Prints `FIRST_TOKEN` at the first token of its first generate() (which also warms
 * it up), `READY` when that call is done, then one JSON line of results.
 *
 * Usage (by bench.ts): tsx server/bench/transformers-js-side.ts <model-dir> '<workload json>' [fp32|q8|q4]
 * (the dtype picks transformers.js's file: onnx/model.onnx, onnx/model_quantized.onnx, onnx/model_q4.onnx).
 */
import { basename, dirname } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { peakRssMb, runConcurrent, singleStream, type RequestTiming, type SideResult, type Workload } from './load.js';

const [modelDir, workloadJson, dtypeArg = 'fp32'] = process.argv.slice(2);
const dtype = dtypeArg as 'fp32' | 'q8' | 'q4';
const workload = JSON.parse(workloadJson) as Workload;

env.allowRemoteModels = false;
env.localModelPath = `${dirname(modelDir)}/`;
const id = basename(modelDir);
const tokenizer = await AutoTokenizer.from_pretrained(id);
const model = await AutoModelForCausalLM.from_pretrained(id, { dtype });
const inputs = tokenizer(workload.prompt);

async function generate(tokens: number, onFirstToken?: () => void): Promise<RequestTiming> {
  const started = performance.now();
  let ttftMs = 0;
  let puts = 0;
  // The first put is the prompt; the second is the first new token.
  const firstToken = () => {
    ttftMs = performance.now() - started;
    onFirstToken?.();
  };
  const streamer = { put: () => void (++puts === 2 && firstToken()), end: () => undefined };
  // A duck-typed streamer (put/end): generate() only calls those two methods.
  const options = { ...inputs, max_new_tokens: tokens, min_new_tokens: tokens, do_sample: false, streamer } as unknown as Parameters<typeof model.generate>[0];
  const out = (await model.generate(options)) as { dims: number[] };
  const totalMs = performance.now() - started;
  return { ttftMs, totalMs, tokens: out.dims[1] - (inputs.input_ids as { dims: number[] }).dims[1] };
}

// The first request, which also warms up, as the server warms up before it is ready: cold start ends at its first token.
await generate(2, () => process.stdout.write('FIRST_TOKEN\n'));
process.stdout.write('READY\n');
const single = await singleStream(workload.singleRepeats, () => generate(workload.singleTokens));
const concurrent = [];
for (const clients of workload.concurrency) concurrent.push(await runConcurrent(clients, () => generate(workload.concurrentTokens)));
const result: Omit<SideResult, 'coldStartMs' | 'coldStartFirstTokenMs'> = {
  name: `transformers.js ${dtype}`,
  singleStream: single,
  concurrent,
  peakRssMb: await peakRssMb(),
  note: `in-process generate() calls, dtype ${dtype}`,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
