import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { runCachedCompletions } from '../service/cached-completions.js';
import type { CacheOutcome } from '../service/completion-cache.js';
import type { TextGenerationResult } from '../service/generate-text.js';
import { emptyLogprobs, type TextLogprobs } from '../text/logprobs-recorder.js';
import { type AppEnv, type ModelDetails, type RouteDeps, requestSignal } from './deps.js';
import { invalidField } from './errors.js';
import { EventQueue } from './event-queue.js';
import { parseCompletionRequest } from './openai-request.js';
import { readJsonObject } from './read-json.js';
import { toApiError } from './to-api-error.js';

const ROUTE = '/v1/completions';

/** `GET /v1/models` and `POST /v1/completions`, OpenAI-compatible. */
export function registerOpenAiRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  app.get('/v1/models', (c) =>
    c.json({
      object: 'list',
      data: deps.models.list.map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: 'mimicbot', ...modelFields(model.details) })),
    }),
  );

  app.post(ROUTE, async (c) => {
    const started = performance.now();
    const request = parseCompletionRequest(await readJsonObject(c, deps.limits), deps.limits);
    const model = deps.models.pick(request.model);
    c.set('model', model.id);
    if (request.job.echo && request.job.logprobs !== undefined && model.details?.canScorePrompt === false) {
      throw invalidField('echo', `with logprobs needs every prompt position's logits, and the served graph (${model.details.graph.file}) returns the last position's only; re-export the model with the training package to score prompts`);
    }
    const id = `cmpl-${randomUUID()}`;
    const created = Math.floor(deps.now() / 1000);
    const signal = requestSignal(c, deps.limits.requestTimeoutMs);
    const onFirstToken = () => deps.metrics.observeTimeToFirstToken(ROUTE, model.id, (performance.now() - started) / 1000);
    const generated = (cache: CacheOutcome, tokens: number) => {
      deps.metrics.observeCache(model.id, cache);
      // A cached answer generated nothing now.
      if (cache !== 'hit') deps.metrics.addTokens(ROUTE, model.id, tokens);
    };

    if (!request.stream) {
      const { outcome, cache } = await runCachedCompletions(model.service, { ...request.job, signal, onFirstToken });
      generated(cache, outcome.completionTokens);
      return c.json({
        id,
        object: 'text_completion',
        created,
        model: model.id,
        choices: outcome.choices.map((choice) => ({
          text: choice.text,
          index: choice.index,
          logprobs: wireLogprobs(choice.logprobs),
          finish_reason: choice.finishReason,
        })),
        usage: usage(outcome.promptTokens, outcome.completionTokens),
      });
    }

    const chunk = (choices: object[], extra: object = {}) => ({ id, object: 'text_completion', created, model: model.id, choices, ...extra });
    const asked = request.job.logprobs !== undefined;
    const textChunk = (index: number, text: string, finishReason: TextGenerationResult['finishReason'] | null, logprobs?: TextLogprobs) =>
      chunk([{ text, index, logprobs: asked ? wireLogprobs(logprobs ?? emptyLogprobs()) : null, finish_reason: finishReason }]);
    const events = new EventQueue<object>();
    // Headers wait for the first token, so errors that come before it (queue full, bad prompt) are plain
    // JSON errors with their status rather than an event inside a 200 stream.
    let hasStarted = false;
    let failure: { error: unknown } | undefined;
    let markStarted: () => void = () => {};
    const firstToken = new Promise<void>((resolve) => (markStarted = resolve));
    const done = runCachedCompletions(model.service, {
      ...request.job,
      signal,
      onFirstToken: () => {
        onFirstToken();
        hasStarted = true;
        markStarted();
      },
      onText: (index, text, logprobs) => events.push(textChunk(index, text, null, logprobs)),
      onFinish: (index, result) => events.push(textChunk(index, '', result.finishReason)),
    }).then(
      ({ outcome, cache }) => {
        generated(cache, outcome.completionTokens);
        if (request.includeUsage) events.push(chunk([], { usage: usage(outcome.promptTokens, outcome.completionTokens) }));
        events.end();
      },
      (error: unknown) => {
        failure = { error };
        events.fail(error);
      },
    );
    await Promise.race([firstToken, done]);
    if (failure && !hasStarted) throw failure.error;

    return streamSSE(c, async (stream) => {
      let status = 200;
      try {
        for await (const event of events) await stream.writeSSE({ data: JSON.stringify(event) });
        await stream.writeSSE({ data: '[DONE]' });
      } catch (error) {
        const apiError = toApiError(error, deps.errors);
        status = c.req.raw.signal.aborted ? 499 : apiError.status;
        if (!c.req.raw.signal.aborted) await stream.writeSSE({ data: JSON.stringify(apiError.toJSON()) });
      } finally {
        deps.metrics.observeRequest(ROUTE, model.id, 'POST', status, (performance.now() - started) / 1000);
      }
    });
  });
}

/** Our additions to OpenAI's model object (clients ignore fields they do not know). */
function modelFields(details: ModelDetails | undefined) {
  if (!details) return {};
  return {
    ...(details.description === undefined ? {} : { description: details.description }),
    graph: { file: details.graph.file, dtype: details.graph.dtype },
    can_score_prompt: details.canScorePrompt,
  };
}

/** OpenAI's legacy-completions `logprobs` object, or null when it was not asked for. */
function wireLogprobs(logprobs: TextLogprobs | undefined) {
  if (!logprobs) return null;
  return { tokens: logprobs.tokens, token_logprobs: logprobs.tokenLogprobs, top_logprobs: logprobs.topLogprobs, text_offset: logprobs.textOffset };
}

function usage(promptTokens: number, completionTokens: number) {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}
