import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OSInfo, Package } from '../core/types.js';
import { importOsv } from './db/import.js';
import { type AdvisoryDb, openAdvisoryDb } from './db/store.js';
import { detectVulnerabilities } from './match.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/osv/', import.meta.url));

function pkg(p: Partial<Package> & Pick<Package, 'name' | 'version' | 'ecosystem'>): Package {
  return {
    purl: `pkg:generic/${p.name}@${p.version}`,
    path: 'var/lib/dpkg/status',
    layer: 'sha256:aa',
    ...p,
  };
}

const debian12: OSInfo = { family: 'debian', version: '12.5' };

describe('detectVulnerabilities on real OSV records', () => {
  let dir: string;
  let db: AdvisoryDb;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-match-'));
    db = openAdvisoryDb(join(dir, 'strata.db'));
    await importOsv(db, [FIXTURES]);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = (packages: Package[], os?: OSInfo): string[] =>
    detectVulnerabilities(packages, os, db)
      .findings.map((f) => `${f.package?.name}:${f.id}`)
      .sort();

  describe('Debian packages', () => {
    it('match by source package and report the binary package', () => {
      const libssl = pkg({
        name: 'libssl3',
        version: '3.0.11-1~deb12u1',
        ecosystem: 'Debian:12',
        source: { name: 'openssl', version: '3.0.11-1~deb12u1' },
      });
      const { findings, errors } = detectVulnerabilities([libssl], debian12, db);
      expect(errors).toEqual([]);
      expect(findings.map((f) => f.id).sort()).toEqual(['DSA-5532-1', 'DSA-5764-1']);
      const dsa = findings.find((f) => f.id === 'DSA-5532-1')!;
      expect(dsa).toMatchObject({
        kind: 'vulnerability',
        package: { name: 'libssl3', version: '3.0.11-1~deb12u1' },
        fixedVersion: '3.0.11-1~deb12u2',
        status: 'fixed',
        location: { path: 'var/lib/dpkg/status', layer: 'sha256:aa' },
        evidence: { ecosystem: 'Debian:12', matchedBy: 'source', matchedName: 'openssl' },
      });
      expect(dsa.aliases).toContain('CVE-2023-5363');
      expect(dsa.aliases?.some((a) => a.startsWith('DEBIAN-'))).toBe(false);
    });

    it.each([
      ['below every fix', '3.0.9-1', ['DSA-5532-1', 'DSA-5764-1']],
      ['at the first fix', '3.0.11-1~deb12u2', ['DSA-5764-1']],
      ['at the second fix', '3.0.14-1~deb12u2', []],
      ['above every fix', '3.0.15-1~deb12u1', []],
    ])('openssl %s (%s)', (_name, version, expected) => {
      expect(
        ids([pkg({ name: 'openssl', version, ecosystem: 'Debian:12' })]).map((s) => s.split(':')[1]),
      ).toEqual(expected);
    });

    it('matches only advisories of the scanned release (Debian:12 vs Debian:11)', () => {
      const openssl11 = pkg({ name: 'openssl', version: '1.1.1n-0+deb11u4', ecosystem: 'Debian:11' });
      expect(ids([openssl11])).toEqual(['openssl:DSA-5417-1']);
    });

    it('fills in the release from the OS when the inventory has none', () => {
      const bare = pkg({
        name: 'util-linux',
        version: '2.38.1-5+b1',
        ecosystem: 'Debian',
        source: { name: 'util-linux', version: '2.38.1-5' },
      });
      expect(ids([bare], debian12)).toEqual(['util-linux:DSA-5650-1']);
      expect(ids([bare], { family: 'debian', version: '11.9' })).toEqual([]);
    });

    it('compares the source version (binNMU binaries carry +bN)', () => {
      const bsdutils = pkg({
        name: 'bsdutils',
        version: '1:2.38.1-5+deb12u1+b1',
        ecosystem: 'Debian:12',
        source: { name: 'util-linux', version: '2.38.1-5+deb12u1' },
      });
      expect(ids([bsdutils])).toEqual([]);
    });

    it('reports the libc binaries of glibc once per package and advisory', () => {
      const src = { name: 'glibc', version: '2.36-9+deb12u4' };
      const found = ids([
        pkg({ name: 'libc6', version: '2.36-9+deb12u4', ecosystem: 'Debian:12', source: src }),
        pkg({ name: 'libc-bin', version: '2.36-9+deb12u4', ecosystem: 'Debian:12', source: src }),
      ]);
      expect(found).toEqual([
        'libc-bin:DSA-5673-1',
        'libc-bin:DSA-5678-1',
        'libc6:DSA-5673-1',
        'libc6:DSA-5678-1',
      ]);
    });

    it('turns an unparseable version into a per-package error, not a guess', () => {
      const bad = pkg({ name: 'openssl', version: 'banana', ecosystem: 'Debian:12' });
      const { findings, errors } = detectVulnerabilities([bad], debian12, db);
      expect(findings).toEqual([]);
      expect(errors).toEqual([
        {
          analyzer: 'vuln/osv',
          path: 'var/lib/dpkg/status',
          message: expect.stringMatching(/openssl: dpkg version "banana" cannot be parsed/),
        },
      ]);
    });
  });

  it.each([
    ['Ubuntu:22.04:LTS', '3.0.2-0ubuntu1.18', ['openssl:USN-7278-1']],
    ['Ubuntu:22.04:LTS', '3.0.2-0ubuntu1.19', []],
    ['Ubuntu:24.04:LTS', '3.0.13-0ubuntu3.4', ['openssl:USN-7278-1']],
    ['Ubuntu:23.10', '3.0.10-1ubuntu2', []],
  ])('Ubuntu: openssl in %s at %s', (ecosystem, version, expected) => {
    expect(ids([pkg({ name: 'libssl3', version, ecosystem, source: { name: 'openssl', version } })])).toEqual(
      expected.map((e) => e.replace('openssl', 'libssl3')),
    );
  });

  it.each([
    ['Alpine:v3.20', '1.2.12-r1', ['zlib:ALPINE-CVE-2022-37434']],
    ['Alpine:v3.20', '1.2.12-r2', []],
    ['Alpine:v3.17', '1.2.12-r1', []],
  ])('Alpine: zlib in %s at %s (origin matching)', (ecosystem, version, expected) => {
    expect(ids([pkg({ name: 'zlib', version, ecosystem, source: { name: 'zlib', version } })])).toEqual(
      expected,
    );
  });

  it('Alpine release comes from the OS when missing', () => {
    const z = pkg({ name: 'zlib', version: '1.2.12-r1', ecosystem: 'Alpine' });
    expect(ids([z], { family: 'alpine', version: '3.20.3' })).toEqual(['zlib:ALPINE-CVE-2022-37434']);
  });

  describe('language packages', () => {
    it('npm: a "fixed": "" event means every version from introduced on is affected', () => {
      const found = detectVulnerabilities(
        [pkg({ name: 'cal_rd', version: '0.1.1', ecosystem: 'npm' })],
        undefined,
        db,
      );
      expect(found.findings).toMatchObject([
        { id: 'GHSA-226w-6hhj-69hp', severity: 'CRITICAL', status: 'affected' },
      ]);
      expect(found.findings[0]?.fixedVersion).toBeUndefined();
    });

    it.each([
      ['1.25.12', ['stdlib:GO-2026-6090'], '1.25.13'],
      ['1.25.13', [], undefined],
      ['1.26.5', ['stdlib:GO-2026-6090'], '1.26.6'],
      ['1.27.0-rc.2', ['stdlib:GO-2026-6090'], '1.27.0-rc.3'],
      ['go1.26.6', [], undefined],
    ])('Go standard library %s', (version, expected, fix) => {
      const r = detectVulnerabilities([pkg({ name: 'stdlib', version, ecosystem: 'Go' })], undefined, db);
      expect(r.findings.map((f) => `${f.package?.name}:${f.id}`)).toEqual(expected);
      expect(r.findings[0]?.fixedVersion).toBe(fix);
    });

    it.each([
      ['1.11.0', true],
      ['1.4.7.dev3', true],
      ['1.11.1', false],
    ])('PyPI: py %s (last_affected 1.11.0, names normalised)', (version, affected) => {
      expect(ids([pkg({ name: 'Py', version, ecosystem: 'PyPI' })])).toEqual(
        affected ? ['Py:PYSEC-2022-42969'] : [],
      );
    });
  });

  it('ignores ecosystems without a comparator', () => {
    expect(
      detectVulnerabilities([pkg({ name: 'x', version: '1', ecosystem: 'Nope' })], undefined, db),
    ).toEqual({
      findings: [],
      errors: [],
    });
  });
});
