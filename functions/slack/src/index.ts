/** Entry point for functions-framework (`--target=slack`): wiring only. */
import { http } from '@google-cloud/functions-framework';
import { configOrExit } from '@mimicbot/functions-shared';
import { parseConfig } from './config.js';
import { slackDepsFromConfig } from './from-config.js';
import { createSlackHandler } from './handler.js';

http('slack', createSlackHandler(slackDepsFromConfig(configOrExit('slack', () => parseConfig()))).handle);
