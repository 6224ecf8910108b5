import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OSInfo, Package } from '../core/types.js';
import { importOsv } from './db/import.js';
import { type AdvisoryDb, openAdvisoryDb } from './db/store.js';
import { detectVulnerabilities } from './match.js';
import { rateSeverity } from './severity-order.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function pkg(p: Partial<Package> & Pick<Package, 'name' | 'version' | 'ecosystem'>): Package {
  return { purl: `pkg:generic/${p.name}@${p.version}`, path: 'x', ...p };
}

describe('the severity order, on real OSV records', () => {
  let dir: string;
  let db: AdvisoryDb;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-severity-'));
    db = openAdvisoryDb(join(dir, 'strata.db'));
    await importOsv(db, [join(FIXTURES, 'osv'), join(FIXTURES, 'severity')]);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const finding = (packages: Package[], id: string, os?: OSInfo) => {
    const { findings, errors } = detectVulnerabilities(packages, os, db);
    expect(errors).toEqual([]);
    const f = findings.find((x) => x.id === id);
    expect(f, `${id} among ${findings.map((x) => x.id).join(', ')}`).toBeDefined();
    return f!;
  };

  it('1. takes the record’s own CVSS first', () => {
    const f = finding(
      [pkg({ name: 'golang.org/x/net', version: '0.16.0', ecosystem: 'Go' })],
      'GHSA-4374-p667-p6c8',
    );
    expect(f).toMatchObject({ severity: 'HIGH', evidence: { severitySource: 'cvss_v3.1' } });
  });

  it('2. then the distribution’s rating: the Ubuntu priority of a USN’s CVEs', () => {
    const libssl = pkg({
      name: 'libssl3',
      version: '3.0.2-0ubuntu1.18',
      ecosystem: 'Ubuntu:22.04:LTS',
      source: { name: 'openssl', version: '3.0.2-0ubuntu1.18' },
    });
    const f = finding([libssl], 'USN-7278-1', { family: 'ubuntu', version: '22.04' });
    expect(f.severity).toBe('LOW');
    expect(f.evidence).toMatchObject({
      severitySource: 'vendor',
      vendorSeverity: { rating: 'low', field: 'database_specific.cves_map (CVE-2024-9143)' },
    });
    expect(f.evidence).not.toHaveProperty('cvss');
  });

  it('2. then the distribution’s rating: Debian’s urgency', () => {
    const tar = pkg({ name: 'tar', version: '1.34+dfsg-1.2+deb12u1', ecosystem: 'Debian:12' });
    const f = finding([tar], 'DEBIAN-CVE-2005-2541', { family: 'debian', version: '12.5' });
    expect(f).toMatchObject({
      severity: 'LOW',
      evidence: {
        severitySource: 'vendor',
        vendorSeverity: { rating: 'unimportant', field: 'ecosystem_specific.urgency' },
      },
    });
  });

  it('3. then the CVSS of an aliased record: a Go standard-library advisory rated by its GHSA', () => {
    const f = finding([pkg({ name: 'stdlib', version: '1.19.8', ecosystem: 'Go' })], 'GO-2023-2102');
    expect(f).toMatchObject({
      severity: 'HIGH',
      evidence: {
        severitySource: 'alias:GHSA-4374-p667-p6c8',
        cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 }],
      },
    });
  });

  it('3. finds the aliased record from either side (PYSEC names the GHSA)', () => {
    const f = finding([pkg({ name: 'py', version: '1.11.0', ecosystem: 'PyPI' })], 'PYSEC-2022-42969');
    expect(f).toMatchObject({
      severity: 'MEDIUM',
      evidence: { severitySource: 'alias:GHSA-w596-4wvx-j9j6', cvss: [{ score: 5.3 }] },
    });
  });

  it('4. is UNKNOWN when nothing rates it', () => {
    const f = finding([pkg({ name: 'stdlib', version: '1.25.12', ecosystem: 'Go' })], 'GO-2026-6090');
    expect(f).toMatchObject({ severity: 'UNKNOWN', evidence: { severitySource: 'none' } });
  });

  it('never rates a record by a withdrawn one or by itself', () => {
    expect(
      db.relatedAdvisories('GO-2023-2102', ['CVE-2023-39325', 'GHSA-4374-p667-p6c8']).map((d) => d.id),
    ).toEqual(['GHSA-4374-p667-p6c8']);
    // GO-2022-0617 is withdrawn: GHSA-qh36-44jv-c8xj's lookup must not return it
    expect(db.relatedAdvisories('GHSA-qh36-44jv-c8xj', ['CVE-2020-8562'])).toEqual([]);
  });
});

describe('rateSeverity', () => {
  const none = () => [];
  it('prefers a GHSA record to other aliased records', () => {
    const doc = (id: string, score: string) => ({
      id,
      modified: '2024-01-01T00:00:00Z',
      aliases: [],
      upstream: [],
      references: [],
      severity: [{ type: 'CVSS_V3', score }],
    });
    const v = rateSeverity({
      vectors: [],
      vendor: [],
      related: () => [
        doc('UBUNTU-CVE-2023-1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
        doc('GHSA-aaaa-bbbb-cccc', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L'),
      ],
    });
    expect(v).toMatchObject({ severity: 'MEDIUM', source: 'alias:GHSA-aaaa-bbbb-cccc' });
  });
  it('reads a typed rating in severity[] (Ubuntu) as the distribution’s', () => {
    expect(
      rateSeverity({ vectors: [{ type: 'Ubuntu', score: 'medium' }], vendor: [], related: none }),
    ).toMatchObject({
      severity: 'MEDIUM',
      source: 'vendor',
      vendor: { word: 'medium', field: 'severity[type=Ubuntu]' },
    });
  });
  it('rates by the database word after the distribution’s and before aliases', () => {
    expect(
      rateSeverity({ vectors: [], vendor: [], databaseSeverity: 'MODERATE', related: none }),
    ).toMatchObject({
      severity: 'MEDIUM',
      source: 'database',
    });
    expect(
      rateSeverity({
        vectors: [],
        vendor: [{ word: 'Important', field: 'x' }],
        databaseSeverity: 'LOW',
        related: none,
      }).severity,
    ).toBe('HIGH');
  });
  it('does not read the aliased records when the record rates itself', () => {
    const related = () => {
      throw new Error('read');
    };
    expect(
      rateSeverity({
        vectors: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
        vendor: [],
        related,
      }).severity,
    ).toBe('CRITICAL');
  });
});
