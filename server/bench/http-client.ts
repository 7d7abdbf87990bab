/** One streamed OpenAI-style completion against the real server: time to first token, total time, tokens. */
import type { RequestTiming } from './load.js';

export async function streamedCompletion(baseUrl: string, model: string, prompt: string, maxTokens: number): Promise<RequestTiming> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, prompt, max_tokens: maxTokens, temperature: 0, stream: true, stream_options: { include_usage: true } }),
  });
  if (!response.ok || !response.body) throw new Error(`POST /v1/completions: HTTP ${response.status} ${await response.text()}`);
  let ttftMs = 0;
  let tokens = -1;
  let buffered = '';
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event.replace(/^data: /, '');
      if (data === '[DONE]') continue;
      const chunk = JSON.parse(data) as { choices?: { text?: string }[]; usage?: { completion_tokens: number } };
      if (ttftMs === 0 && chunk.choices?.some((c) => c.text)) ttftMs = performance.now() - started;
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
  }
  if (tokens < 0) throw new Error('the stream carried no usage chunk');
  return { ttftMs, totalMs: performance.now() - started, tokens };
}
