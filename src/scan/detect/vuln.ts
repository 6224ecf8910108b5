import { checkDbFreshness, coverageGaps, detectVulnerabilities } from '../../vuln/index.js';
import { need } from './need.js';
import type { Detector } from './types.js';

const NAME = 'vuln/osv';

/**
 * Packages of the inventory against the OSV advisories of the local database; an ecosystem the
 * database holds nothing for is said loudly (warning and `errors[]`), never read as "no findings".
 */
export const vulnDetector: Detector = {
  name: NAME,
  scanner: 'vuln',
  needs: ['inventory', 'advisory-db'],
  async detect(ctx) {
    const db = need(ctx.db, 'the advisory database', NAME);
    const { warning } = checkDbFreshness(db, ctx.now);
    const detected = detectVulnerabilities(ctx.inventory.packages, ctx.inventory.os, db);
    // an ecosystem the database has nothing for was not checked: an error entry and a warning
    const gaps = coverageGaps(ctx.inventory.packages, ctx.inventory.os, db);
    return {
      findings: detected.findings,
      errors: [...gaps, ...detected.errors],
      warnings: [...(warning ? [warning] : []), ...gaps.map((g) => g.message)],
    };
  },
};
