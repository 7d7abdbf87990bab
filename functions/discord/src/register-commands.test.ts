import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.js';
import { startLocalDiscordApi, type LocalDiscordApi } from './local-discord-api.js';
import { registerCommands } from './register-commands.js';

let discord: LocalDiscordApi;
beforeAll(async () => void (discord = await startLocalDiscordApi()));
afterAll(() => discord.close());

describe('registerCommands', () => {
  it('PUTs both commands, /mimic with its required prompt and the "Continue this" message command, with the bot token', async () => {
    const registered = await registerCommands({ apiUrl: discord.url, applicationId: '42', botToken: 'bot-token' });
    expect(registered.map((command) => command.name)).toEqual(['mimic', 'Continue this']);
    const call = discord.calls.at(-1)!;
    expect(call).toMatchObject({ method: 'PUT', path: '/applications/42/commands', authorization: 'Bot bot-token' });
    expect(call.body).toEqual(COMMANDS);
    expect(call.body).toMatchObject([{ type: 1, options: [{ name: 'prompt', type: 3, required: true }] }, { type: 3 }]);
  });

  it('registers in one server when given a guild', async () => {
    await registerCommands({ apiUrl: discord.url, applicationId: '42', botToken: 'bot-token', guildId: '7' });
    expect(discord.calls.at(-1)!.path).toBe('/applications/42/guilds/7/commands');
  });

  it("says what Discord refused, with where to find the right value, and never the token", async () => {
    const api = await startLocalDiscordApi({ intercept: async () => ({ status: 401, body: { message: '401: Unauthorized', code: 0 } }) });
    try {
      const failure = registerCommands({ apiUrl: api.url, applicationId: '42', botToken: 'secret-bot-token' });
      await expect(failure).rejects.toThrow(/HTTP 401 \(DISCORD_BOT_TOKEN: Developer Portal/);
      await expect(failure).rejects.not.toThrow(/secret-bot-token/);
    } finally {
      await api.close();
    }
  });
});
