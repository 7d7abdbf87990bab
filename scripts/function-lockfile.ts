/**
 * A function's own package-lock.json, cut out of the repository's root lockfile, so that the deploy installs
 * exactly the versions the tests ran against (Cloud Functions' build runs `npm ci` when a lockfile is there).
 * Offline and deterministic: every entry is the root lockfile's own (version, integrity, dependencies), found
 * the way Node resolves packages from functions/<name>/, and moved to the same place under the function's
 * folder. `npm install --package-lock-only` would instead resolve the ranges again against the registry and
 * could pick newer transitive versions than the ones tested.
 */

/** One entry of a lockfile v3 `packages` map (only the fields read here are typed). */
export interface LockEntry {
  version?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: 3;
  requires: true;
  packages: Record<string, LockEntry>;
}

export class LockfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockfileError';
  }
}

/** The folder whose node_modules/ holds a package (`a/node_modules/@s/b` -> `a`), or a folder's parent. */
function parentDir(dir: string): string {
  const inNodeModules = /^(?:(.*)\/)?node_modules\/(?:@[^/]+\/)?[^/]+$/.exec(dir);
  if (inNodeModules) return inNodeModules[1] ?? '';
  return dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
}

/** Node's lookup of `name` from `fromDir`: its own node_modules/, then each enclosing folder's, up to the root's. */
function candidates(fromDir: string, name: string): string[] {
  const found: string[] = [];
  for (let dir = fromDir; ; dir = parentDir(dir)) {
    found.push(dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`);
    if (dir === '') return found;
  }
}

function resolveIn(packages: Record<string, LockEntry>, fromDir: string, name: string): string | undefined {
  return candidates(fromDir, name).find((path) => packages[path] !== undefined);
}

/** The edges npm installs for a package: dependencies, required peers, and the optional dependencies it has (not optional peers). */
function edges(entry: LockEntry): { name: string; optional: boolean }[] {
  const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => entry.peerDependenciesMeta?.[name]?.optional !== true);
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...peers.map((name) => ({ name, optional: false })),
  ];
}

/** The function is the root of its own tree: in the repository, every flag was relative to the workspace root's dev dependencies. */
function asProductionEntry(entry: LockEntry): LockEntry {
  const { dev: _dev, devOptional, ...rest } = entry;
  return devOptional ? { ...rest, optional: true } : rest;
}

/**
 * @param root the repository's package-lock.json
 * @param workspaceDir the function's folder in the repository (functions/<name>), where its imports resolve from
 * @param direct the npm packages the bundle imports
 */
export function functionLockfile(root: { packages: Record<string, LockEntry> }, workspaceDir: string, direct: string[], manifest: { name: string; version: string }): Lockfile {
  const packages = root.packages;
  const needed = new Map<string, string>(); // root lockfile path -> path in the function's tree
  const queue: string[] = [];
  const place = (from: string) => {
    if (needed.has(from)) return;
    const to = from.startsWith(`${workspaceDir}/`) ? from.slice(workspaceDir.length + 1) : from;
    if (!to.startsWith('node_modules/')) throw new LockfileError(`${from}: outside both ${workspaceDir}/ and the root node_modules/`);
    needed.set(from, to);
    queue.push(from);
  };

  const dependencies: Record<string, string> = {};
  for (const name of [...direct].sort()) {
    const path = resolveIn(packages, workspaceDir, name);
    const entry = path === undefined ? undefined : packages[path];
    if (path === undefined || entry?.version === undefined || entry.link) {
      throw new LockfileError(`${name}: imported by the bundle but not in package-lock.json as an npm package; add it to ${workspaceDir}/package.json and run npm install`);
    }
    dependencies[name] = entry.version;
    place(path);
  }
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const edge of edges(packages[from])) {
      const path = resolveIn(packages, from, edge.name);
      if (path === undefined) {
        if (edge.optional) continue;
        throw new LockfileError(`${from}: needs ${edge.name}, which package-lock.json does not hold; run npm install`);
      }
      place(path);
    }
  }

  // Moving workspace-nested packages up to node_modules/ must not put two versions in one place.
  const byTarget = new Map<string, string>();
  for (const [from, to] of needed) {
    const other = byTarget.get(to);
    if (other !== undefined && packages[other].version !== packages[from].version) {
      throw new LockfileError(`${to}: both ${other} (${packages[other].version}) and ${from} (${packages[from].version}) would land there`);
    }
    byTarget.set(to, from);
  }

  const entries = [...byTarget].sort(([a], [b]) => a.localeCompare(b)).map(([to, from]) => [to, asProductionEntry(packages[from])] as const);
  return {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: manifest.name, version: manifest.version, dependencies }, ...Object.fromEntries(entries) },
  };
}
