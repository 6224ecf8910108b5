import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Records shaped as Red Hat's and SUSE's OSV records are (one record, several products): written
 * here, the ecosystem strings as OSV spells them, since the corpus holds no real one.
 */
describe('matching RHEL and SLES packages across the products OSV files them under', () => {
  let dir: string;
  let db: AdvisoryDb;
  const entry = (ecosystem: string, name: string, fixed: string) => ({
    package: { ecosystem, name },
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
  });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-related-rpm-'));
    const records = {
      'RHSA-2024:0001.json': {
        id: 'RHSA-2024:0001',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          entry('Red Hat:enterprise_linux:9::appstream', 'openssl-libs', '1:3.0.7-25.el9_3'),
          entry('Red Hat:enterprise_linux:8::appstream', 'openssl-libs', '1:1.1.1k-12.el8_9'),
        ],
      },
      'SUSE-SU-2024:0001-1.json': {
        id: 'SUSE-SU-2024:0001-1',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          entry('SUSE:Linux Enterprise Module for Basesystem 15 SP5', 'libopenssl3', '3.0.8-150500.5.20.1'),
          entry('SUSE:Linux Enterprise Server 15 SP4-LTSS', 'libopenssl3', '3.0.1-150400.4.50.1'),
        ],
      },
    };
    for (const [file, rec] of Object.entries(records)) writeFileSync(join(dir, file), JSON.stringify(rec));
    db = openAdvisoryDb(join(dir, 'strata.db'));
    await importOsv(db, [join(dir, 'RHSA-2024:0001.json'), join(dir, 'SUSE-SU-2024:0001-1.json')]);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rpm = (name: string, version: string, ecosystem: string): Package => ({
    name,
    version,
    ecosystem,
    purl: `pkg:rpm/x/${name}@${version}`,
    path: 'var/lib/rpm/Packages',
  });

  it('a RHEL 9.4 package is matched by the appstream entry of release 9, not of release 8', () => {
    const { findings } = detectVulnerabilities(
      [rpm('openssl-libs', '1:3.0.7-24.el9', 'Red Hat:enterprise_linux:9')],
      { family: 'rhel', version: '9.4' },
      db,
    );
    expect(findings.map((f) => [f.id, f.evidence.ecosystem, f.fixedVersion])).toEqual([
      ['RHSA-2024:0001', 'Red Hat:enterprise_linux:9::appstream', '1:3.0.7-25.el9_3'],
    ]);
  });

  it('an SLES 15 SP5 package is matched by the Basesystem module of SP5, not by SP4', () => {
    const sles: OSInfo = { family: 'suse', version: '15.5' };
    const pkg = rpm('libopenssl3', '3.0.8-150500.5.14.1', 'SUSE:Linux Enterprise Server 15 SP5');
    const { findings } = detectVulnerabilities([pkg], sles, db);
    expect(findings.map((f) => [f.id, f.evidence.ecosystem])).toEqual([
      ['SUSE-SU-2024:0001-1', 'SUSE:Linux Enterprise Module for Basesystem 15 SP5'],
    ]);
    const sp4 = rpm('libopenssl3', '3.0.1-150400.4.40.1', 'SUSE:Linux Enterprise Server 15 SP3');
    expect(detectVulnerabilities([sp4], { family: 'suse', version: '15.3' }, db).findings).toEqual([]);
  });
});
