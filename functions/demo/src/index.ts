/** Entry point for functions-framework (`--target=demo`): wiring only. */
import { http } from '@google-cloud/functions-framework';
import { configOrExit } from '@mimicbot/functions-shared';
import { parseConfig } from './config.js';
import { demoDepsFromConfig } from './from-config.js';
import { createDemoHandler } from './handler.js';

http('demo', createDemoHandler(demoDepsFromConfig(configOrExit('demo', () => parseConfig()))));
