import type { OSInfo, Package } from '../core/types.js';
import { defaultDbPath } from './db/paths.js';
import { checkDbFreshness } from './db/status.js';
import { openAdvisoryDb } from './db/store.js';
import { type DetectResult, detectVulnerabilities } from './match.js';

export interface VulnScanResult extends DetectResult {
  /** for stderr: a stale database, and the like */
  readonly warnings: string[];
}

/**
 * What a scan command needs in one call: opens the database read-only (`--db`, else $STRATA_DB or the
 * default path), fails clearly when there is none or it is empty, warns when it is older than 7 days,
 * matches, and closes it.
 */
export function scanPackagesForVulnerabilities(
  packages: readonly Package[],
  os: OSInfo | undefined,
  opts: { readonly db?: string; readonly now?: Date } = {},
): VulnScanResult {
  const db = openAdvisoryDb(opts.db ?? defaultDbPath(), { readonly: true });
  try {
    const freshness = checkDbFreshness(db, opts.now);
    const result = detectVulnerabilities(packages, os, db);
    return { ...result, warnings: freshness.warning ? [freshness.warning] : [] };
  } finally {
    db.close();
  }
}
