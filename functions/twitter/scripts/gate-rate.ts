/**
 * `npm run gate:rate -w functions/twitter -- --endpoint http://localhost:8080 [--drafts 200] [--prompt ""]`
 *
 * Measures the X poster's first-draw pass rate against a running server: drafts asked for as a scheduled
 * post asks (GATE_CANDIDATES a request, the shared MAX_TOKENS / TEMPERATURE / TOP_P and GATE_* settings
 * from the environment, REQUEST_TOKEN if the server wants one), judged by the poster's own steps.
 */
import { parseArgs } from 'node:util';
import { createProgressBar } from '@mimicbot/training';
import { ConfigError, modelClientFromConfig, outputFilterFromConfig, parseSharedConfig, replySteps } from '@mimicbot/functions-shared';
import { formatGateRate, measureGateRate } from '../src/gate-rate.js';
import { tweetSteps } from '../src/tweet-steps.js';

const USAGE = 'usage: gate:rate -- --endpoint <server URL> [--drafts 200] [--prompt TEXT]';

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { endpoint: { type: 'string' }, drafts: { type: 'string' }, prompt: { type: 'string' } } });
  if (!values.endpoint) throw new Error(`--endpoint is required\n${USAGE}`);
  const drafts = Number(values.drafts ?? 200);
  if (!Number.isInteger(drafts) || drafts < 1 || drafts > 100_000) throw new Error(`--drafts must be a whole number from 1 to 100000, got "${values.drafts}"`);
  const config = parseSharedConfig({ ...process.env, MODEL_ENDPOINT: values.endpoint });
  const model = modelClientFromConfig(config);
  const prompt = values.prompt ?? '';
  const [served] = await model.models().catch(() => []);
  const { generation, gate } = config;
  console.log(
    `X poster drafts from ${values.endpoint} (${served?.id ?? 'model unknown'}): prompt ${JSON.stringify(prompt)}, ${gate.candidates} a request, ` +
      `max_tokens ${generation.maxTokens}, temperature ${generation.temperature}, top_p ${generation.topP}`,
  );
  const bar = createProgressBar('drafts', { unit: 'drafts' });
  const rate = await measureGateRate({
    model,
    // POST_DISCLOSURE as the X function reads it: its characters count toward a post's length there too.
    steps: replySteps(outputFilterFromConfig(config), gate, tweetSteps(process.env.POST_DISCLOSURE ?? '')),
    prompt,
    generation,
    candidates: gate.candidates,
    drafts,
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.stop();
  console.log(formatGateRate(rate));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message.replace(/\n/g, '; ') : (error as Error).message;
  console.error(`gate:rate: ${message}`);
  process.exit(1);
});
