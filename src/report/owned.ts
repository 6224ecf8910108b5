import type { Package, ScanResult } from '../core/types.js';
import { cleanText } from './table/text.js';

/**
 * The table's explanation of the language packages an OS package installed: they are listed and
 * matched through the OS package's advisories (the distribution patches them without changing the
 * upstream version), so a reader knows why no PyPI/npm advisory appears on them.
 */
export function ownedPackagesNote(result: ScanResult): string[] {
  const owned = result.packages.filter((p): p is Package & Required<Pick<Package, 'ownedBy'>> =>
    Boolean(p.ownedBy),
  );
  if (owned.length === 0) return [];
  const lines = owned
    .map(
      (p) =>
        `  ${cleanText(`${p.name} ${p.version} <- ${p.ownedBy.type} ${p.ownedBy.name} ${p.ownedBy.version}`)}`,
    )
    .sort();
  return [
    `Installed by OS packages (${owned.length}; their advisories apply, not ${ecosystems(owned)}'s):`,
    ...lines,
  ];
}

function ecosystems(packages: readonly Package[]): string {
  return [...new Set(packages.map((p) => p.ecosystem))].sort().join('/');
}
