/**
 * Registers the bot's commands with Discord: `PUT /applications/{id}/commands` (global: may take up to an
 * hour to show everywhere) or `/applications/{id}/guilds/{guild}/commands` (one server: at once), with the
 * bot token. PUT replaces the whole list, so running it again is safe. scripts/discord-register-commands.ts
 * is its command line.
 */
import { COMMANDS } from './commands.js';

export interface RegisterOptions {
  apiUrl: string;
  applicationId: string;
  botToken: string;
  /** Register in this server only (instant), rather than globally. */
  guildId?: string;
}

export class RegisterError extends Error {
  readonly code = 'discord_register_failed';
  constructor(message: string) {
    super(message);
    this.name = 'RegisterError';
  }
}

/** Resolves with the registered commands' names and ids. */
export async function registerCommands(options: RegisterOptions): Promise<{ name: string; id: string }[]> {
  const app = encodeURIComponent(options.applicationId);
  const path = options.guildId ? `/applications/${app}/guilds/${encodeURIComponent(options.guildId)}/commands` : `/applications/${app}/commands`;
  let response: Response;
  try {
    response = await fetch(`${options.apiUrl.replace(/\/+$/, '')}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bot ${options.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(COMMANDS),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new RegisterError(`could not reach ${options.apiUrl}: ${(error as Error).message}`);
  }
  const text = (await response.text()).slice(0, 100_000);
  if (!response.ok) {
    const hint = response.status === 401 ? ' (DISCORD_BOT_TOKEN: Developer Portal > Bot > Reset Token)' : response.status === 404 ? ' (DISCORD_APPLICATION_ID: Developer Portal > General Information > Application ID)' : '';
    throw new RegisterError(`Discord answered HTTP ${response.status}${hint}: ${text.slice(0, 300)}`);
  }
  const registered = JSON.parse(text) as { name?: unknown; id?: unknown }[];
  return registered.map((command) => ({ name: String(command.name), id: String(command.id) }));
}
