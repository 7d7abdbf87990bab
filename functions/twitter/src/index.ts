/** Entry point for functions-framework (`--target=twitter`): wiring only. */
import { http } from '@google-cloud/functions-framework';
import { parseConfig } from './config.js';
import { twitterDepsFromConfig } from './from-config.js';
import { createTwitterHandler } from './handler.js';

http('twitter', createTwitterHandler(twitterDepsFromConfig(parseConfig())));
