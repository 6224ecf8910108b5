import type { Package } from '../../core/types.js';
import { isOsPackage } from './provenance.js';

/**
 * For each package (in the given order), the index of the OS package that installed it (its
 * `ownedBy` purl), or undefined. The SBOM writers hang such a language package under its OS
 * package (CycloneDX `dependencies`, SPDX `CONTAINS`) instead of under the target.
 */
export function ownerIndexes(packages: readonly Package[]): (number | undefined)[] {
  const byPurl = new Map<string, number>();
  packages.forEach((p, i) => {
    if (isOsPackage(p) && !byPurl.has(p.purl)) byPurl.set(p.purl, i);
  });
  return packages.map((p) => (p.ownedBy ? byPurl.get(p.ownedBy.purl) : undefined));
}

/** The application itself (`extra.main`): a Go binary's main module, a lockfile's or pyproject's project. */
export function isApplication(pkg: Package): boolean {
  return pkg.extra?.main === true;
}

const dirOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/**
 * For each package, the index of the application it is a dependency of, or undefined: a package
 * recorded by the same file as the application (the binary, the lockfile), or — for a project
 * manifest such as `pyproject.toml` — by a file of the same ecosystem in the same directory (its
 * lockfile). OS packages, packages an OS package installed and applications themselves belong to
 * none.
 */
export function applicationIndexes(packages: readonly Package[]): (number | undefined)[] {
  const apps = packages.flatMap((p, i) => (isApplication(p) ? [i] : []));
  if (apps.length === 0) return packages.map(() => undefined);
  return packages.map((p) => {
    if (isApplication(p) || isOsPackage(p) || p.ownedBy) return undefined;
    const samePath = apps.find((a) => packages[a]!.path === p.path);
    if (samePath !== undefined) return samePath;
    return apps.find((a) => {
      const app = packages[a]!;
      return app.ecosystem !== 'Go' && app.ecosystem === p.ecosystem && dirOf(app.path) === dirOf(p.path);
    });
  });
}
