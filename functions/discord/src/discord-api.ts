/**
 * The one call the worker makes to Discord: edit the interaction's deferred response,
 * `PATCH {api}/webhooks/{application_id}/{interaction_token}/messages/@original`. The interaction token is
 * the credential (no bot token); `allowed_mentions: {parse: []}` keeps generated text from pinging anyone.
 *
 * A failure is classified so the worker knows whether trying again can help: Discord's 429 and 5xx did
 * not edit; 401/403/404 (an expired or unknown token: "Unknown Webhook", code 10015) never will; a
 * connection lost mid-request may or may not have.
 */
export type EditResult = { ok: true; messageId: string } | { ok: false; failure: 'retry' | 'refused' | 'unknown'; error: string };

export interface DiscordApi {
  editOriginal(applicationId: string, token: string, content: string): Promise<EditResult>;
}

export function createDiscordApi(options: { baseUrl: () => Promise<string>; timeoutMs?: number }): DiscordApi {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async editOriginal(applicationId, token, content) {
      const url = `${await options.baseUrl()}/webhooks/${encodeURIComponent(applicationId)}/${encodeURIComponent(token)}/messages/@original`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ content, allowed_mentions: { parse: [] } }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const code = ((error as { cause?: { code?: string } }).cause?.code) ?? '';
        // Refused before anything was sent: certainly not edited. Anything else may have reached Discord.
        return { ok: false, failure: code === 'ECONNREFUSED' ? 'retry' : 'unknown', error: `${(error as Error).message} ${code}`.trim() };
      }
      const body = (await response.text()).slice(0, 2000);
      if (response.ok) {
        const id = (JSON.parse(body || '{}') as { id?: unknown }).id;
        return { ok: true, messageId: typeof id === 'string' ? id : 'unknown' };
      }
      const error = `HTTP ${response.status} ${body.slice(0, 300)}`;
      if (response.status === 429 || response.status >= 500) return { ok: false, failure: 'retry', error };
      return { ok: false, failure: 'refused', error };
    },
  };
}
