/** Entry point for functions-framework (`--target=twitter`): wiring only. */
import { http } from '@google-cloud/functions-framework';
import { configOrExit } from '@mimicbot/functions-shared';
import { parseConfig } from './config.js';
import { twitterDepsFromConfig } from './from-config.js';
import { createTwitterHandler } from './handler.js';

http('twitter', createTwitterHandler(twitterDepsFromConfig(configOrExit('twitter', () => parseConfig()))));
