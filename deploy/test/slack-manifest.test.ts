/**
 * functions/slack/manifest.yaml creates the Slack app in one step: each event it subscribes to has its scope,
 * its URLs are the function's events endpoint, and Terraform's `slack_manifest` output fills in exactly the
 * placeholders the file has, giving the URL Terraform deploys.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadTerraform } from './terraform.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MANIFEST_TEXT = readFileSync(join(ROOT, 'functions', 'slack', 'manifest.yaml'), 'utf8');
const URL_PLACEHOLDER = 'https://SLACK-FUNCTION-URL';
const X_URL_PLACEHOLDER = 'https://X-FUNCTION-URL';

interface Manifest {
  display_information: { name: string };
  features: { bot_user: { display_name: string }; app_home: { messages_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}
const manifest = parseYaml(MANIFEST_TEXT) as Manifest;

/** The scope Slack requires for each bot event (Slack's events reference). */
const EVENT_SCOPES: Record<string, string> = {
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
  reaction_added: 'reactions:read',
  reaction_removed: 'reactions:read',
};

describe('functions/slack/manifest.yaml', () => {
  it('grants the scope of every event it subscribes to, and those the function calls need', () => {
    const scopes = manifest.oauth_config.scopes.bot;
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      expect(EVENT_SCOPES[event], `${event}: add its scope to EVENT_SCOPES (and to the manifest)`).toBeDefined();
      expect(scopes).toContain(EVENT_SCOPES[event]);
    }
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.im', 'reaction_added', 'reaction_removed']);
    // chat.postMessage (the reply) and reactions.add/remove (the reaction while generating).
    expect(scopes).toEqual(expect.arrayContaining(['chat:write', 'reactions:write']));
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });

  it("sends events over HTTP to the Slack function's events endpoint, and button clicks to the X function's curation endpoint", () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toBe(`${URL_PLACEHOLDER}/slack/events`);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: `${X_URL_PLACEHOLDER}/slack/actions` });
  });

  it("is what Terraform's slack_manifest output renders, with every placeholder replaced", async () => {
    const files = await loadTerraform(join(ROOT, 'deploy', 'terraform'));
    const rendered = String(files.outputs.slack_manifest.value);
    // replace(replace(file(...), "<placeholder>", <value>), "<placeholder>", <value>)
    const replaced = [...rendered.matchAll(/"([^"]+)",\s*(?:local|var)\./g)].map((match) => match[1]);
    const placeholders = [URL_PLACEHOLDER, X_URL_PLACEHOLDER, 'BOT-NAME'];
    expect(replaced.sort()).toEqual([...placeholders].sort());
    expect(rendered).toContain('file("${path.module}/../../functions/slack/manifest.yaml")');
    expect(rendered).toContain(`"${URL_PLACEHOLDER}", local.slack_url)`);
    expect(rendered).toContain(`"${X_URL_PLACEHOLDER}", local.twitter_url`);
    for (const placeholder of placeholders) expect(MANIFEST_TEXT).toContain(placeholder);
    // Nothing else in the file looks like something to fill in.
    expect(MANIFEST_TEXT.replaceAll(URL_PLACEHOLDER, '').replaceAll(X_URL_PLACEHOLDER, '').replaceAll('BOT-NAME', '')).not.toMatch(/[A-Z]{3,}-[A-Z]{3,}/);
    expect(manifest.display_information.name).toBe('BOT-NAME');
  });
});
