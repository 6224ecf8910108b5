import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OSInfo, Package } from '../core/types.js';
import { coverageGaps } from './coverage.js';
import { importOsv } from './db/import.js';
import { type AdvisoryDb, openAdvisoryDb } from './db/store.js';
import { detectVulnerabilities } from './match.js';

const USN = fileURLToPath(new URL('./fixtures/severity/USN-7257-1.json', import.meta.url));

const krb5 = (version: string, ecosystem: string): Package => ({
  name: 'libkrb5-3',
  version,
  ecosystem,
  purl: `pkg:deb/ubuntu/libkrb5-3@${version}`,
  path: 'var/lib/dpkg/status',
  source: { name: 'krb5', version },
});

describe('matching through the related ecosystems of an OS (USN-7257-1, krb5)', () => {
  let dir: string;
  let db: AdvisoryDb;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-related-'));
    db = openAdvisoryDb(join(dir, 'strata.db'));
    await importOsv(db, [USN]);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows every ecosystem the records name', () => {
    expect(db.knownEcosystems()).toEqual([
      'Ubuntu:20.04:LTS',
      'Ubuntu:22.04:LTS',
      'Ubuntu:24.04:LTS',
      'Ubuntu:Pro:14.04:LTS',
      'Ubuntu:Pro:16.04:LTS',
      'Ubuntu:Pro:18.04:LTS',
    ]);
  });

  it('finds the Ubuntu Pro (ESM) fix for an 18.04 package, and says which stream it came from', () => {
    const bionic: OSInfo = { family: 'ubuntu', version: '18.04' };
    const { findings } = detectVulnerabilities([krb5('1.16-2ubuntu0.2', 'Ubuntu:18.04:LTS')], bionic, db);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      id: 'USN-7257-1',
      fixedVersion: '1.16-2ubuntu0.4+esm3',
      evidence: { ecosystem: 'Ubuntu:Pro:18.04:LTS', matchedName: 'krb5' },
    });
    // the Pro stream's advisories count as coverage of 18.04
    expect(coverageGaps([krb5('1.16-2ubuntu0.2', 'Ubuntu:18.04:LTS')], bionic, db)).toEqual([]);
  });

  it('keeps to the release: a 22.04 package is not matched by 18.04 entries', () => {
    const jammy: OSInfo = { family: 'ubuntu', version: '22.04' };
    const { findings } = detectVulnerabilities([krb5('1.19.2-2ubuntu0.5', 'Ubuntu:22.04:LTS')], jammy, db);
    expect(findings).toEqual([]);
    const fixed = detectVulnerabilities([krb5('1.19.2-2ubuntu0.4', 'Ubuntu:22.04:LTS')], jammy, db);
    expect(fixed.findings.map((f) => f.evidence.ecosystem)).toEqual(['Ubuntu:22.04:LTS']);
  });

  it('reports a Rocky Linux inventory the database has no advisory for', () => {
    const rocky: OSInfo = { family: 'rocky', version: '9.3' };
    const bash: Package = {
      name: 'bash',
      version: '5.1.8-6.el9',
      ecosystem: 'Rocky Linux:9',
      purl: 'pkg:rpm/rocky/bash',
      path: 'var/lib/rpm',
    };
    expect(coverageGaps([bash], rocky, db).map((e) => e.message)).toEqual([
      expect.stringMatching(/^no advisories for Rocky Linux:9 in the database .*: 1 package not checked/),
    ]);
  });
});
