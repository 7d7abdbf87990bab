/** Entry point: registers the Slack function with functions-framework as `slack`. */
import { http } from '@google-cloud/functions-framework';
import { parseConfig } from './config.js';
import { createSlackHandler } from './handler.js';

http('slack', createSlackHandler(parseConfig(process.env)).handle);
