import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsv } from './db/import.js';
import { dbStatus } from './db/status.js';
import { openAdvisoryDb } from './db/store.js';
import { DEMO_OSV_DIR } from './demo.js';
import { detectVulnerabilities } from './match.js';

describe('the bundled demo database', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // two imports of ~1,000 records: seconds on a loaded machine
  it('imports every bundled record without a bad one, idempotently', { timeout: 30_000 }, async () => {
    const path = join(dir, 'demo.db');
    const importDemo = async () => {
      const db = openAdvisoryDb(path);
      try {
        const counts = await importOsv(db, [DEMO_OSV_DIR]);
        return { bad: counts.bad, advisories: db.counts().advisories };
      } finally {
        db.close();
      }
    };
    const first = await importDemo();
    const again = await importDemo();
    expect(first.bad).toBe(0);
    expect(again.advisories).toBe(first.advisories);
    const db = openAdvisoryDb(path, { readonly: true });
    try {
      const status = dbStatus(db);
      expect(status.advisories).toBeGreaterThan(900);
      expect(status.ecosystems.map((e) => e.ecosystem)).toEqual(
        expect.arrayContaining(['Debian:12', 'Alpine:v3.20', 'Ubuntu:22.04:LTS', 'npm', 'Go', 'PyPI']),
      );
      const { findings } = detectVulnerabilities(
        [
          {
            name: 'libc6',
            version: '2.36-9+deb12u3',
            ecosystem: 'Debian:12',
            purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12',
            source: { name: 'glibc', version: '2.36-9+deb12u3' },
            path: 'var/lib/dpkg/status',
          },
        ],
        { family: 'debian', version: '12.2' },
        db,
      );
      expect(findings.map((f) => f.id).sort()).toEqual(['DSA-5673-1', 'DSA-5678-1']);
    } finally {
      db.close();
    }
  });
});
