import type { Package } from '../../core/types.js';

/**
 * A unique `bom-ref` per package: its purl, and for the second and later packages with the same
 * purl (one library found in two places) the purl plus `|2`, `|3`... (`|` never occurs in a purl).
 * Packages are expected in their sorted order, so the refs are stable for the same result.
 */
export function packageBomRefs(packages: readonly Package[]): string[] {
  const seen = new Map<string, number>();
  return packages.map((p) => {
    const base = p.purl || `strata:package:${p.ecosystem}/${p.name}@${p.version}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}|${n}`;
  });
}
