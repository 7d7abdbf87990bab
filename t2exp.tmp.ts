import { runExport } from './training/src/cli/export.js';
process.exitCode = await runExport(process.argv.slice(2));
