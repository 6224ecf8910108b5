import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vulnerabilityFinding } from '../core/finding/index.js';
import { buildResult } from '../core/result.js';
import type { Finding, Package, ScanResult } from '../core/types.js';
import { importOsv } from '../vuln/db/import.js';
import { type AdvisoryDb, openAdvisoryDb } from '../vuln/db/store.js';
import { detectVulnerabilities } from '../vuln/match.js';
import { assessSeverity } from '../vuln/severity.js';
import type { CdxBom } from './cyclonedx/types.js';
import { writeCycloneDx } from './cyclonedx/write.js';
import { writeSarif } from './sarif/write.js';
import { cycloneDxValidator, schemaErrors } from './spdx/testing/schemas.js';
import { writeTable } from './table.js';

// Real OSV records: GHSA-226w-6hhj-69hp (CVSS 3.1, 9.8), GHSA-2ggq-vfcp-gwhj (CVSS 3.1, 6.5; GitHub
// also says MODERATE), GHSA-2pqj-h3vj-pqgw (no vector, GitHub's word HIGH).
const SOURCES = [
  fileURLToPath(new URL('../vuln/fixtures/osv/GHSA-226w-6hhj-69hp.json', import.meta.url)),
  fileURLToPath(new URL('../../data/demo-osv/npm/', import.meta.url)),
];

const npm = (name: string, version: string): Package => ({
  name,
  version,
  ecosystem: 'npm',
  purl: `pkg:npm/${name.replace('@', '%40')}@${version}`,
  path: 'app/package-lock.json',
});

describe('CVSS carried from OSV records to the reports', () => {
  let dir: string;
  let db: AdvisoryDb;
  let result: ScanResult;
  const byId = (id: string) => result.findings.find((f) => f.id === id) as Finding;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-cvss-'));
    db = openAdvisoryDb(join(dir, 'strata.db'));
    await importOsv(db, SOURCES);
    const packages = [npm('cal_rd', '0.1.1'), npm('@hapi/boom', '0.3.7'), npm('jquery', '1.8.3')];
    const { findings, errors } = detectVulnerabilities(packages, undefined, db);
    expect(errors).toEqual([]);
    result = buildResult({ target: { type: 'filesystem', name: 'app' }, packages, findings });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps version, vector, base score and rating on the finding', () => {
    expect(byId('GHSA-226w-6hhj-69hp').evidence).toMatchObject({
      severitySource: 'cvss_v3.1',
      cvss: [
        {
          version: '3.1',
          vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          score: 9.8,
          severity: 'CRITICAL',
        },
      ],
    });
    expect(byId('GHSA-2ggq-vfcp-gwhj')).toMatchObject({
      severity: 'MEDIUM',
      evidence: { cvss: [{ version: '3.1', score: 6.5, severity: 'MEDIUM' }] },
    });
    expect(byId('GHSA-2pqj-h3vj-pqgw').evidence).toMatchObject({ severitySource: 'database' });
    expect(byId('GHSA-2pqj-h3vj-pqgw').evidence).not.toHaveProperty('cvss');
  });

  describe('CycloneDX', () => {
    const bom = () => JSON.parse(writeCycloneDx(result)) as CdxBom;
    const ratings = (id: string) => bom().vulnerabilities?.find((v) => v.id === id)?.ratings;

    it('is valid against the CycloneDX 1.6 schema', () => {
      expect(schemaErrors(cycloneDxValidator(), bom())).toEqual([]);
    });

    it('rates by the CVSS vector: method, score, vector and its severity', () => {
      expect(ratings('GHSA-226w-6hhj-69hp')).toEqual([
        {
          source: { name: 'OSV', url: 'https://osv.dev/vulnerability/GHSA-226w-6hhj-69hp' },
          score: 9.8,
          severity: 'critical',
          method: 'CVSSv31',
          vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        },
      ]);
      expect(ratings('GHSA-2ggq-vfcp-gwhj')).toMatchObject([
        { score: 6.5, severity: 'medium', method: 'CVSSv31' },
      ]);
    });

    it("rates by the database's word as method other when there is no vector", () => {
      expect(ratings('GHSA-2pqj-h3vj-pqgw')).toEqual([
        {
          source: { name: 'OSV', url: 'https://osv.dev/vulnerability/GHSA-2pqj-h3vj-pqgw' },
          severity: 'high',
          method: 'other',
        },
      ]);
    });
  });

  describe('SARIF', () => {
    const rules = () =>
      (
        JSON.parse(writeSarif(result)) as {
          runs: { tool: { driver: { rules: { id: string; properties: Record<string, unknown> }[] } } }[];
        }
      ).runs[0]!.tool.driver.rules;
    const securitySeverity = (id: string) =>
      rules().find((r) => r.id === id)?.properties['security-severity'];

    it('ranks a rule by the real base score', () => {
      expect(securitySeverity('GHSA-226w-6hhj-69hp')).toBe('9.8');
      expect(securitySeverity('GHSA-2ggq-vfcp-gwhj')).toBe('6.5');
    });

    it("falls back to the severity's band without a score", () => {
      expect(securitySeverity('GHSA-2pqj-h3vj-pqgw')).toBe('8.0');
    });
  });

  describe('table', () => {
    it('shows the score beside the severity where known', () => {
      const lines = writeTable(result).split('\n');
      const row = (id: string) => lines.find((l) => l.includes(id))?.split(/\s{2,}/)[0];
      expect(row('GHSA-226w-6hhj-69hp')).toBe('CRITICAL 9.8');
      expect(row('GHSA-2ggq-vfcp-gwhj')).toBe('MEDIUM 6.5');
      expect(row('GHSA-2pqj-h3vj-pqgw')).toBe('HIGH');
    });
  });
});

describe('CVSS v4.0 and v2.0 vectors in the reports', () => {
  // No OSV record in the repository carries a v4 vector; these vectors are the CVSS 4.0 and 2.0
  // specification examples the scorer is tested with (9.3 and 7.5), rated as the matcher rates them.
  const verdict = assessSeverity([
    { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
    { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
  ]);
  const finding = vulnerabilityFinding({
    id: 'TEST-V4',
    severity: verdict.severity,
    title: 'a v4-rated advisory',
    package: { name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0' },
    location: { path: 'package-lock.json' },
    evidence: {
      ecosystem: 'npm',
      matchedBy: 'binary',
      matchedName: 'left-pad',
      matchedVersion: '1.0.0',
      severitySource: verdict.source,
      cvss: verdict.cvss,
      modified: '2024-01-01T00:00:00Z',
    },
  });
  const result = buildResult({
    target: { type: 'filesystem', name: 'app' },
    packages: [
      { name: 'left-pad', version: '1.0.0', ecosystem: 'npm', purl: 'pkg:npm/left-pad@1.0.0', path: 'x' },
    ],
    findings: [finding],
  });

  it('writes both ratings with CVSSv4 and CVSSv2 methods, valid CycloneDX 1.6', () => {
    const bom = JSON.parse(writeCycloneDx(result)) as CdxBom;
    expect(schemaErrors(cycloneDxValidator(), bom)).toEqual([]);
    expect(bom.vulnerabilities?.[0]?.ratings.map((r) => [r.method, r.score, r.severity])).toEqual([
      ['CVSSv4', 9.3, 'critical'],
      ['CVSSv2', 7.5, 'high'],
    ]);
  });

  it('shows the v4 score in the table and SARIF', () => {
    expect(writeTable(result)).toMatch(/^CRITICAL 9\.3 {2}TEST-V4/m);
    expect(writeSarif(result)).toContain('"security-severity": "9.3"');
  });
});
