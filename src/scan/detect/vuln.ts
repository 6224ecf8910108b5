import { checkDbFreshness, detectVulnerabilities } from '../../vuln/index.js';
import { need } from './need.js';
import type { Detector } from './types.js';

const NAME = 'vuln/osv';

/** Packages of the inventory against the OSV advisories of the local database. */
export const vulnDetector: Detector = {
  name: NAME,
  scanner: 'vuln',
  needs: ['inventory', 'advisory-db'],
  async detect(ctx) {
    const db = need(ctx.db, 'the advisory database', NAME);
    const { warning } = checkDbFreshness(db, ctx.now);
    const detected = detectVulnerabilities(ctx.inventory.packages, ctx.inventory.os, db);
    return { ...detected, warnings: warning ? [warning] : [] };
  },
};
