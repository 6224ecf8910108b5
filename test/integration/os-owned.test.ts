import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';
import { type OwnedImage, ownedPythonImage } from '../support/owned-image.js';

/**
 * Issue 13 "Findings that are true", as the user hit it: Debian's python3-urllib3 1.26.12-1+deb12uN
 * carries Debian's fixes for CVE-2023-43804/45803, yet the PyPI advisories PYSEC-2023-192/212 were
 * reported on its urllib3 1.26.12. A real image where dpkg installed the package, and a pip copy of
 * the same version beside it that no OS package owns.
 */
interface Result {
  packages: {
    name: string;
    version: string;
    ecosystem: string;
    path: string;
    ownedBy?: Record<string, string>;
  }[];
  findings: { id: string; package?: { name: string; version: string }; location: { path?: string } }[];
}

/**
 * An advisory on Debian's source package python-urllib3 for every bookworm version, written for
 * this test in the form of osv.dev's DEBIAN-CVE records (the real ones are fixed in the installed
 * version): it shows that the OS package's advisories still reach the package that owns urllib3.
 */
const DEBIAN_RECORD = {
  schema_version: '1.6.0',
  id: 'DEBIAN-TEST-URLLIB3',
  modified: '2026-01-01T00:00:00Z',
  summary: 'test advisory on python-urllib3 (bookworm, no fix)',
  affected: [
    {
      package: { ecosystem: 'Debian:12', name: 'python-urllib3' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
    },
  ],
};

let work: string;
let db: string;
let image: OwnedImage;
let result: Result;

beforeAll(async () => {
  image = await ownedPythonImage();
  work = mkdtempSync(join(tmpdir(), 'strata-owned-'));
  db = join(work, 'strata.db');
  const demo = await strata(['db', 'import', 'data/demo-osv', '--db', db, '--quiet']);
  expect(demo.code, demo.stderr).toBe(0);
  mkdirSync(join(work, 'debian'));
  writeFileSync(join(work, 'debian/DEBIAN-TEST-URLLIB3.json'), JSON.stringify(DEBIAN_RECORD));
  const extra = await strata(['db', 'import', join(work, 'debian'), '--db', db, '--quiet']);
  expect(extra.code, extra.stderr).toBe(0);
  const r = await strata(['image', `oci:${image.layout}:${image.tag}`, '--db', db, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  result = JSON.parse(r.stdout) as Result;
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const DEB_META = 'usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO';
const PIP_META = 'usr/local/lib/python3.11/dist-packages/urllib3-1.26.12.dist-info/METADATA';

describe('strata image on a Debian image where dpkg installed python3-urllib3', () => {
  it("lists Debian's urllib3 with the OS package that owns it", () => {
    const deb = result.packages.find((p) => p.name === 'python3-urllib3')!;
    expect(deb.version).toMatch(/^1\.26\.12-1\+deb12u\d+$/);
    const urllib3 = result.packages.find((p) => p.path === DEB_META);
    expect(urllib3).toMatchObject({ name: 'urllib3', version: '1.26.12', ecosystem: 'PyPI' });
    expect(urllib3?.ownedBy).toEqual({
      type: 'deb',
      name: 'python3-urllib3',
      version: deb.version,
      purl: expect.stringMatching(/^pkg:deb\/debian\/python3-urllib3@1\.26\.12-1%2Bdeb12u\d+\?arch=all/),
    });
  });

  it('reports no PyPI advisory on it, but both on the pip copy of the same version', () => {
    const on = (path: string) =>
      result.findings
        .filter((f) => f.location.path === path)
        .map((f) => f.id)
        .sort();
    expect(on(DEB_META)).toEqual([]);
    expect(on(PIP_META)).toEqual(expect.arrayContaining(['PYSEC-2023-192', 'PYSEC-2023-212']));
    expect(result.packages.find((p) => p.path === PIP_META)?.ownedBy).toBeUndefined();
  });

  it("keeps the Debian advisories: the owning package's and the other OS packages'", () => {
    const ids = (name: string) => result.findings.filter((f) => f.package?.name === name).map((f) => f.id);
    expect(ids('python3-urllib3')).toEqual(['DEBIAN-TEST-URLLIB3']);
    expect(ids('zlib1g')).toContain('DEBIAN-CVE-2023-45853');
  });

  it('explains the ownership in the table', async () => {
    const r = await strata(['image', `oci:${image.layout}:${image.tag}`, '--db', db]);
    expect(r.stdout).toMatch(/^Installed by OS packages \(1; their advisories apply, not PyPI's\):$/m);
    expect(r.stdout).toMatch(/^ {2}urllib3 1\.26\.12 <- deb python3-urllib3 1\.26\.12-1\+deb12u\d+$/m);
  });

  it('hangs it under its OS package in the CycloneDX and SPDX documents', async () => {
    const cdx = JSON.parse(
      (await strata(['sbom', `oci:${image.layout}:${image.tag}`, '--format', 'cyclonedx'])).stdout,
    ) as { dependencies: { ref: string; dependsOn: string[] }[] };
    const owner = cdx.dependencies.find((d) => d.ref.startsWith('pkg:deb/debian/python3-urllib3@'));
    expect(owner?.dependsOn).toEqual(['pkg:pypi/urllib3@1.26.12']);
    const spdx = JSON.parse(
      (await strata(['sbom', `oci:${image.layout}:${image.tag}`, '--format', 'spdx'])).stdout,
    ) as {
      packages: { SPDXID: string; name: string; versionInfo?: string }[];
      relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
    };
    const id = (name: string) =>
      spdx.packages.find((p) => p.name === name && p.versionInfo?.startsWith('1.26.12'))!.SPDXID;
    const owned = spdx.relationships.filter(
      (r) => r.relationshipType === 'CONTAINS' && r.spdxElementId === id('python3-urllib3'),
    );
    expect(owned.map((r) => r.relatedSpdxElement)).toHaveLength(1);
    expect(spdx.packages.find((p) => p.SPDXID === owned[0]?.relatedSpdxElement)?.name).toBe('urllib3');
  });
});
