import type { Package } from '../core/index.js';

/**
 * One package found twice — by a lockfile and by its installed copy (`package-lock.json` and
 * `node_modules/x/package.json`, `poetry.lock` and a venv's `x.dist-info`) — is one package of
 * one project: it is listed once, with every file that recorded it in `locations`, so each
 * advisory gives one finding instead of two.
 *
 * Copies merge when ecosystem, name and version are equal and both files belong to the same
 * project directory (their "root", defined per ecosystem below). OS packages and files whose
 * project cannot be told (a Go binary, a jar, gems under `/usr/local/bundle`) are never merged.
 */

/** A lockfile speaks for the project (its dev flag, its path as the target); an installed copy follows it. */
type Role = 'lock' | 'installed';

interface Origin {
  readonly root: string;
  readonly role: Role;
  /**
   * deeper projects an installed copy may belong to instead, innermost last: a package under
   * `usr/lib/node_modules/npm/node_modules/` belongs to `usr/lib/node_modules/npm` when that has its
   * own lockfile, else to the outermost `usr/lib`
   */
  readonly inner?: readonly string[];
}

const dirOf = (path: string): string => {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
};
const baseOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** the directory before a marker such as `node_modules/` (`app/node_modules/a/...` -> `app`) */
function before(path: string, marker: RegExp): string | undefined {
  const m = marker.exec(path);
  if (!m) return undefined;
  return path.slice(0, m.index).replace(/\/$/, '');
}

const lock = (path: string): Origin => ({ root: dirOf(path), role: 'lock' });
const installed = (root: string | undefined): Origin | undefined =>
  root === undefined ? undefined : { root, role: 'installed' };

const NPM_LOCKS = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml']);
const PY_LOCKS = new Set(['poetry.lock', 'Pipfile.lock', 'uv.lock']);
const PY_REQUIREMENTS_DIR = /(?:^|\/)requirements\/[^/]+\.txt$/;
const PY_REQUIREMENTS = /^requirements[^/]*\.txt$/;
const VENV_NAMES = new Set(['.venv', 'venv', 'env', 'virtualenv']);
const SITE_PACKAGES = /(?:^|\/)lib(?:64)?\/python[^/]*\/(?:site|dist)-packages\//;

function npmOrigin(path: string): Origin | undefined {
  if (NPM_LOCKS.has(baseOf(path))) return lock(path);
  const parts = path.split('/');
  const roots = parts.flatMap((part, i) => (part === 'node_modules' ? [parts.slice(0, i).join('/')] : []));
  if (roots.length === 0) return undefined;
  return { root: roots[0]!, role: 'installed', ...(roots.length > 1 ? { inner: roots.slice(1) } : {}) };
}

/** site-packages of a virtualenv inside a project (`app/.venv/lib/python3.12/...`) belong to `app`. */
function pypiOrigin(path: string): Origin | undefined {
  if (PY_LOCKS.has(baseOf(path))) return lock(path);
  if (PY_REQUIREMENTS_DIR.test(path)) return { root: dirOf(dirOf(path)), role: 'lock' };
  if (PY_REQUIREMENTS.test(baseOf(path))) return lock(path);
  const env = before(path, SITE_PACKAGES);
  if (env === undefined) return undefined;
  return installed(VENV_NAMES.has(baseOf(env)) ? dirOf(env) : env);
}

/** Bundler's `vendor/bundle/ruby/3.2.0/specifications/x.gemspec` belongs to the project that holds `vendor/`. */
function gemOrigin(path: string): Origin | undefined {
  if (['Gemfile.lock', 'gems.locked'].includes(baseOf(path))) return lock(path);
  return installed(before(path, /(?:^|\/)vendor\/bundle\/ruby\/[^/]+\/specifications\//));
}

/** A cargo-auditable binary under the project's `target/` directory (`app/target/release/app`). */
function cargoOrigin(path: string): Origin | undefined {
  if (baseOf(path) === 'Cargo.lock') return lock(path);
  return installed(before(path, /(?:^|\/)target\/(?:[^/]+\/)?(?:release|debug)\//));
}

function composerOrigin(path: string): Origin | undefined {
  if (baseOf(path) === 'composer.lock') return lock(path);
  return installed(before(path, /(?:^|\/)vendor\/composer\/installed\.json$/));
}

/** The project a package's file belongs to, for the ecosystems that have both lockfiles and installed copies. */
export function originOf(pkg: Pick<Package, 'ecosystem' | 'path'>): Origin | undefined {
  switch (pkg.ecosystem) {
    case 'npm':
      return npmOrigin(pkg.path);
    case 'PyPI':
      return pypiOrigin(pkg.path);
    case 'RubyGems':
      return gemOrigin(pkg.path);
    case 'crates.io':
      return cargoOrigin(pkg.path);
    case 'Packagist':
      return composerOrigin(pkg.path);
    default:
      return undefined;
  }
}

interface Copy {
  readonly pkg: Package;
  readonly role: Role;
}

/**
 * The lockfile's copy leads (its path, layer and dev flag); the merged package is dev-only when every
 * lockfile entry of it is (an installed copy records no dev flag of its own), or, without a lockfile,
 * when every copy is. Fields only a follower has (licenses, later analyzers' extras) are kept.
 */
function mergeCopies(copies: readonly Copy[]): Package {
  const sorted = [...copies].sort(
    (a, b) => (a.role === b.role ? 0 : a.role === 'lock' ? -1 : 1) || cmp(a.pkg.path, b.pkg.path),
  );
  const locks = sorted.filter((c) => c.role === 'lock');
  const devs = (locks.length > 0 ? locks : sorted).every((c) => c.pkg.dev === true);
  const licenses = sorted.find((c) => c.pkg.licenses?.length)?.pkg.licenses;
  const paths = [...new Set(sorted.map((c) => c.pkg.path))].sort();
  // the lead's fields win: it is assigned last
  const all = Object.assign({}, ...sorted.map((c) => c.pkg).reverse()) as Package;
  const { dev: _dev, locations: _locations, ...fields } = all;
  return {
    ...fields,
    ...(licenses ? { licenses } : {}),
    ...(devs ? { dev: true } : {}),
    ...(paths.length > 1 ? { locations: paths } : {}),
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Packages of the same ecosystem, name, version and project merged into one (see the module comment). */
export function mergeInstalledCopies(packages: readonly Package[]): Package[] {
  const origins = packages.map((pkg) => [pkg, originOf(pkg)] as const);
  const lockRoots = new Set(
    origins.flatMap(([pkg, o]) => (o?.role === 'lock' ? [`${pkg.ecosystem}\0${o.root}`] : [])),
  );
  /** the innermost project with a lockfile of this ecosystem, else the outermost */
  const rootOf = (pkg: Package, o: Origin): string =>
    (o.inner ?? []).findLast((r) => lockRoots.has(`${pkg.ecosystem}\0${r}`)) ?? o.root;
  const groups = new Map<string, Copy[]>();
  const out: Package[] = [];
  for (const [pkg, origin] of origins) {
    if (!origin) {
      out.push(pkg);
      continue;
    }
    const key = `${pkg.ecosystem}\0${pkg.name}\0${pkg.version}\0${rootOf(pkg, origin)}`;
    const group = groups.get(key);
    if (group) group.push({ pkg, role: origin.role });
    else groups.set(key, [{ pkg, role: origin.role }]);
  }
  for (const group of groups.values()) out.push(group.length === 1 ? group[0]!.pkg : mergeCopies(group));
  return out;
}
