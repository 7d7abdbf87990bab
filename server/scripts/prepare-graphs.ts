/**
 * The image's build step for the fast path (server-graph-cache.ts). A model folder baked into the image is
 * read-only to the server's user, so a folder holding only an optimum export or a checkpoint would be served
 * on the slower standard graph (or, with MODEL_CACHE_DIR, rebuilt at every cold start into Cloud Run's
 * memory-backed /tmp). Built here, at image build time, the graph ships in the folder beside its stamp.
 *
 * `tsx server/scripts/prepare-graphs.ts <model-folder>`: every model the folder holds (one model folder, or a
 * folder of model folders), at MODEL_DTYPE when set, else the best the folder offers (what the server picks).
 * A folder that already has its server graph is left as it is.
 */
import { GRAPH_DTYPES, type GraphDtype } from '@mimicbot/model-format';
import { listModelFolders } from '../src/service/model-folders.js';
import { prepareServerGraph } from '../src/service/server-graph-cache.js';

const [dir] = process.argv.slice(2);
const dtype = process.env.MODEL_DTYPE?.trim() || undefined;
if (!dir) {
  process.stderr.write('usage: tsx server/scripts/prepare-graphs.ts <model-folder>\n');
  process.exit(2);
}
if (dtype !== undefined && !(GRAPH_DTYPES as readonly string[]).includes(dtype)) {
  process.stderr.write(`MODEL_DTYPE must be one of ${GRAPH_DTYPES.join(', ')}, got ${JSON.stringify(dtype)}\n`);
  process.exit(2);
}
for (const folder of listModelFolders(dir)) {
  const plan = await prepareServerGraph(folder.dir, { dtype: dtype as GraphDtype | undefined, log: (line) => process.stderr.write(`${folder.id}: ${line}\n`) });
  const said = { built: 'server graph built', reused: 'server graph already there', none: 'nothing to build; served as it is' }[plan.outcome];
  process.stderr.write(`${folder.id}: ${said}\n`);
}
