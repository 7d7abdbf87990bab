/**
 * Registers the Discord bot's commands (`/mimic prompt:<text>` and the message command "Continue this"):
 *
 *   DISCORD_APPLICATION_ID=<id> DISCORD_BOT_TOKEN=<token> npm run discord:register
 *
 * DISCORD_APPLICATION_ID: Developer Portal > your application > General Information > Application ID.
 * DISCORD_BOT_TOKEN: Developer Portal > Bot > Reset Token (used for this call only; the function never needs it).
 * DISCORD_GUILD_ID (optional): register in that one server, where commands appear at once; global commands
 * can take up to an hour. DISCORD_API_URL (optional): another API base, e.g. a local stand-in.
 * Running it again replaces the list with the same two commands.
 */
import { DISCORD_API_V10 } from '../functions/discord/src/config.js';
import { registerCommands } from '../functions/discord/src/register-commands.js';

const env = process.env;
const missing = ['DISCORD_APPLICATION_ID', 'DISCORD_BOT_TOKEN'].filter((name) => !env[name]);
if (missing.length > 0) {
  for (const name of missing) console.error(`${name}: required (see the top of scripts/discord-register-commands.ts or the README's Discord section)`);
  process.exit(2);
}
try {
  const registered = await registerCommands({ apiUrl: env.DISCORD_API_URL || DISCORD_API_V10, applicationId: env.DISCORD_APPLICATION_ID!, botToken: env.DISCORD_BOT_TOKEN!, guildId: env.DISCORD_GUILD_ID || undefined });
  const where = env.DISCORD_GUILD_ID ? `in server ${env.DISCORD_GUILD_ID}` : 'globally (may take up to an hour to appear)';
  console.log(`registered ${registered.map((command) => `"${command.name}" (${command.id})`).join(', ')} ${where}`);
} catch (error) {
  console.error(`discord:register: ${(error as Error).message}`);
  process.exit(1);
}
