import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsv } from './db/import.js';
import { openAdvisoryDb } from './db/store.js';
import { scanPackagesForVulnerabilities } from './scan.js';

describe('scanPackagesForVulnerabilities', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-scan-'));
    const db = openAdvisoryDb(join(dir, 'strata.db'));
    await importOsv(db, [fileURLToPath(new URL('./fixtures/osv/DSA-5532-1.json', import.meta.url))]);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const libssl = {
    name: 'libssl3',
    version: '3.0.11-1~deb12u1',
    ecosystem: 'Debian:12',
    purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u1',
    source: { name: 'openssl', version: '3.0.11-1~deb12u1' },
    path: 'var/lib/dpkg/status',
  };

  it('matches with a fresh database and no warning', () => {
    const r = scanPackagesForVulnerabilities([libssl], undefined, { db: join(dir, 'strata.db') });
    expect(r.findings.map((f) => f.id)).toEqual(['DSA-5532-1']);
    expect(r.warnings).toEqual([]);
  });

  it('warns when the database is older than 7 days', () => {
    const r = scanPackagesForVulnerabilities([libssl], undefined, {
      db: join(dir, 'strata.db'),
      now: new Date(Date.now() + 10 * 86_400_000),
    });
    expect(r.warnings[0]).toMatch(/last updated 10 days ago/);
  });

  it('fails clearly without a database', () => {
    expect(() => scanPackagesForVulnerabilities([libssl], undefined, { db: join(dir, 'none.db') })).toThrow(
      /no advisory database at .*none\.db/,
    );
  });
});
