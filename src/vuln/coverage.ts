import type { OSInfo, Package, ScanError } from '../core/types.js';
import type { AdvisoryDb } from './db/store.js';
import { lookupEcosystem, MATCHER_NAME } from './match.js';
import { applicableEcosystems } from './os-ecosystem.js';
import { comparatorFor } from './version/index.js';

/**
 * The ecosystems of an inventory the database holds no advisory for at all (`Rocky Linux:9` in a
 * database fetched before Rocky was imported, `Debian:13` before its first advisory): their
 * packages were not checked, which a report must not show as "0 findings" (advisories of a
 * related ecosystem count: `Ubuntu:Pro:22.04:LTS` for Ubuntu 22.04). One `errors[]`
 * entry per ecosystem, sorted, so a script sees it; the CLI also prints it as a warning.
 */
export function coverageGaps(
  packages: readonly Package[],
  os: OSInfo | undefined,
  db: AdvisoryDb,
): ScanError[] {
  const perEcosystem = new Map<string, number>();
  for (const pkg of packages) {
    const ecosystem = lookupEcosystem(pkg, os);
    if (!comparatorFor(ecosystem)) continue;
    perEcosystem.set(ecosystem, (perEcosystem.get(ecosystem) ?? 0) + 1);
  }
  return [...perEcosystem]
    .filter(
      ([ecosystem]) => !applicableEcosystems(ecosystem, db.knownEcosystems()).some((e) => db.hasEcosystem(e)),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ecosystem, n]) => ({
      analyzer: MATCHER_NAME,
      message: `no advisories for ${ecosystem} in the database ${db.path}: ${n} package${n === 1 ? '' : 's'} not checked for vulnerabilities (run "strata db update"; if it still has none, the advisory source does not cover ${ecosystem})`,
    }));
}
