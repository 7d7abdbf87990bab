/** Entry point for functions-framework (`--target=demo`): wiring only. */
import { http } from '@google-cloud/functions-framework';
import { parseConfig } from './config.js';
import { demoDepsFromConfig } from './from-config.js';
import { createDemoHandler } from './handler.js';

http('demo', createDemoHandler(demoDepsFromConfig(parseConfig())));
