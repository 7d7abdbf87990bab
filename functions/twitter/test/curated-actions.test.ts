import { createMemoryStore } from '@mimicbot/functions-shared';
import { curatedActionsSuite } from './curated-actions-suite.js';

curatedActionsSuite('memory store', async () => createMemoryStore());
