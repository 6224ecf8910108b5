import { getHeapStatistics } from 'node:v8';
import type { OSInfo, Package } from '../../core/types.js';
import { type AdvisoryDb, defaultDbPath, detectVulnerabilities, openAdvisoryDb } from '../../vuln/index.js';
import { SbomError } from './errors.js';

const MiB = 1024 * 1024;
const HEAP_BASELINE = 48 * MiB;
/**
 * Heap one vulnerability finding costs until the report is written (the finding, its evidence and
 * the JSON text). Measured under a 512 MiB heap with one package repeated: 74,500 findings written
 * as JSON pass, 149,000 abort (~4 KiB each); 6 KiB keeps a margin for the other formats.
 */
const HEAP_PER_FINDING = 6 * 1024;
/** identities matched at a time while counting, so counting never holds many findings */
const BATCH = 32;

/** How many findings this process can hold: 79,000 under a 512 MiB heap, 700,000 under 4 GiB. */
export function findingBudget(heapLimit = getHeapStatistics().heap_size_limit): number {
  return Math.max(10_000, Math.floor((heapLimit - HEAP_BASELINE) / HEAP_PER_FINDING));
}

interface Identity {
  readonly pkg: Package;
  copies: number;
}

/** Packages that match alike: same ecosystem, name, version and source (the path does not matter). */
function identities(packages: readonly Package[]): Identity[] {
  const out = new Map<string, Identity>();
  for (const p of packages) {
    if (p.ownedBy) continue; // matched through its owner, which is listed itself
    const key = [p.ecosystem, p.name, p.version, p.source?.name, p.source?.version].join('\0');
    const seen = out.get(key);
    if (seen) seen.copies += 1;
    else out.set(key, { pkg: p, copies: 1 });
  }
  return [...out.values()];
}

/**
 * Refuses, before matching for real, an SBOM whose packages would give more vulnerability
 * findings than the heap holds: a 2 MB BOM listing one old Go toolchain 20,000 times asks for
 * 3 million findings. Each distinct package is matched once, a few at a time, and its findings
 * counted once per copy; the count stops at the budget.
 */
export function assertFindingBudget(
  file: string,
  packages: readonly Package[],
  os: OSInfo | undefined,
  dbPath: string | undefined,
  budget = findingBudget(),
): void {
  const ids = identities(packages);
  if (ids.length === 0) return;
  let db: AdvisoryDb | undefined;
  try {
    db = openAdvisoryDb(dbPath ?? defaultDbPath(), { readonly: true });
    let total = 0;
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      // the path carries the identity's index, so each finding is counted for its copies
      const probe = batch.map((id, j) => ({ ...id.pkg, path: String(i + j) }));
      for (const f of detectVulnerabilities(probe, os, db).findings) {
        total += ids[Number(f.location.path)]?.copies ?? 1;
      }
      if (total > budget) {
        const most = ids.reduce((a, b) => (b.copies > a.copies ? b : a));
        throw new SbomError(
          'TOO_MANY_FINDINGS',
          `${file}: its ${packages.length} packages would give over ${budget} vulnerability findings, more than this process's heap holds (most repeated: ${most.pkg.name} ${most.pkg.version}, ${most.copies} times); split the SBOM or give node more heap (--max-old-space-size)`,
        );
      }
    }
  } finally {
    db?.close();
  }
}
