import type { Package } from '../core/index.js';

/** The application itself (`extra.main`): a Go binary's main module, a lockfile's or pyproject's own project. */
export function isApplication(pkg: Package): boolean {
  return pkg.extra?.main === true;
}

/**
 * Whether the advisory matcher should look at a package: not when an OS package installed it
 * (`ownedBy`: the OS advisories apply), and not the project being scanned itself — a `(devel)`
 * Go main module names no release, and a lockfile's or pyproject's own name and version are the
 * user's (a registry package of the same name is another package). A Go main module with a
 * release version (`go install example.com/tool@v1.2.3`) is that module and is matched.
 */
export function isMatchable(pkg: Package): boolean {
  if (pkg.ownedBy !== undefined) return false;
  if (!isApplication(pkg)) return true;
  return pkg.ecosystem === 'Go' && pkg.version !== '(devel)';
}
