/** Entry point for functions-framework (`--target=discord`): wiring only. */
import { http } from '@google-cloud/functions-framework';
import { configOrExit } from '@mimicbot/functions-shared';
import { parseConfig } from './config.js';
import { discordDepsFromConfig } from './from-config.js';
import { createDiscordHandler } from './handler.js';

http('discord', createDiscordHandler(discordDepsFromConfig(configOrExit('discord', () => parseConfig()))).handle);
