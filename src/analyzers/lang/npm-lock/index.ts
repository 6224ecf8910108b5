import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { malformed } from '../shared/errors.js';
import { npmLicenses } from '../shared/licenses.js';
import { npmPackage } from '../shared/naming.js';
import { baseName, insideNodeModules } from '../shared/paths.js';
import { type Dict, dict, parseJsonObject, str } from '../shared/values.js';

const FILES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);

/** npm lockfiles, v1 (`dependencies` tree) and v2/v3 (`packages` map keyed by install path). */
export const npmLockAnalyzer = defineLangAnalyzer({
  name: 'lang/npm-lock',
  // 2: the project itself (root entry) as a package with extra.main
  version: 2,
  wants: { names: [...FILES] },
  required: (file) => FILES.has(baseName(file.path)) && !insideNodeModules(file.path),
  parse: ({ content }) => {
    const lock = parseJsonObject(content, 'npm lockfile');
    const version = lock.lockfileVersion;
    if (typeof version !== 'number') throw malformed('npm lockfile has no lockfileVersion');
    const root = rootPackage(lock);
    const deps =
      version >= 2 && lock.packages !== undefined
        ? fromPackages(dict(lock.packages))
        : fromDependencies(dict(lock.dependencies));
    return root ? [root, ...deps] : deps;
  },
});

/**
 * The project itself (the root `""` entry, or v1's top-level name and version): the application
 * the SBOM describes, marked `extra.main`; its dependencies hang under it.
 */
function rootPackage(lock: Dict): PackageDraft | undefined {
  const entry = dict(dict(lock.packages)['']);
  const name = str(entry.name) ?? str(lock.name);
  const version = str(entry.version) ?? str(lock.version);
  if (!name || !version) return undefined;
  return npmPackage(name, version, { extra: { main: true } });
}

/** v2/v3: keys are `node_modules/a/node_modules/@s/b`; the root `""` and workspace sources are not dependencies. */
function fromPackages(packages: Dict): PackageDraft[] {
  const out: PackageDraft[] = [];
  for (const [key, raw] of Object.entries(packages)) {
    const at = key.lastIndexOf('node_modules/');
    const entry = dict(raw);
    if (at < 0 || entry.link === true) continue;
    const name = str(entry.name) ?? key.slice(at + 'node_modules/'.length);
    const version = str(entry.version);
    if (!version || !isRegistryVersion(version)) continue;
    const licenses = npmLicenses(entry);
    out.push(
      npmPackage(name, version, {
        ...(entry.dev === true ? { dev: true } : {}),
        ...(licenses ? { licenses } : {}),
      }),
    );
  }
  return out;
}

/** v1: a tree of `dependencies`, each entry possibly holding its own nested `dependencies`. */
function fromDependencies(deps: Dict, depth = 0): PackageDraft[] {
  if (depth > 64) throw malformed('npm lockfile nests dependencies deeper than 64 levels');
  const out: PackageDraft[] = [];
  for (const [key, raw] of Object.entries(deps)) {
    const entry = dict(raw);
    const resolved = aliasTarget(key, str(entry.version));
    if (resolved)
      out.push(npmPackage(resolved.name, resolved.version, entry.dev === true ? { dev: true } : {}));
    for (const item of fromDependencies(dict(entry.dependencies), depth + 1)) out.push(item);
  }
  return out;
}

/** v1 writes aliases as `npm:real@1.2.3`; git, file and link specs carry no registry version. */
function aliasTarget(
  key: string,
  version: string | undefined,
): { name: string; version: string } | undefined {
  if (!version) return undefined;
  if (version.startsWith('npm:')) {
    const spec = version.slice(4);
    const at = spec.lastIndexOf('@');
    return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : undefined;
  }
  return isRegistryVersion(version) ? { name: key, version } : undefined;
}

function isRegistryVersion(v: string): boolean {
  return !v.includes(':') && !v.includes('/');
}
