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
