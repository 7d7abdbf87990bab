import { runTrain } from './training/src/cli/train.js';
process.exitCode = await runTrain(process.argv.slice(2));
