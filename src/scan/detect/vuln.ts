import { isMatchable } from '../application.js';
import { need } from './need.js';
import type { Detector } from './types.js';

const NAME = 'vuln/osv';

/**
 * Packages of the inventory against the OSV advisories of the local database; an ecosystem the
 * database holds nothing for is said loudly (warning and `errors[]`), never read as "no findings".
 * A language package an OS package installed (`ownedBy`) is matched through that OS package only:
 * the distribution backports fixes without changing the upstream version, so the language
 * ecosystem's advisories would be false positives (Debian's urllib3 1.26.12 and PYSEC-2023-192).
 * The scanned project itself is not matched either (see isMatchable).
 */
export const vulnDetector: Detector = {
  name: NAME,
  scanner: 'vuln',
  needs: ['inventory', 'advisory-db'],
  async detect(ctx) {
    const db = need(ctx.db, 'the advisory database', NAME);
    const { checkDbFreshness, coverageGaps, detectVulnerabilities } = await import('../../vuln/index.js');
    const { warning } = checkDbFreshness(db, ctx.now);
    const packages = ctx.inventory.packages.filter(isMatchable);
    const detected = detectVulnerabilities(packages, ctx.inventory.os, db);
    // an ecosystem the database has nothing for was not checked: an error entry and a warning
    const gaps = coverageGaps(packages, ctx.inventory.os, db);
    return {
      findings: detected.findings,
      errors: [...gaps, ...detected.errors],
      warnings: [...(warning ? [warning] : []), ...gaps.map((g) => g.message)],
    };
  },
};
