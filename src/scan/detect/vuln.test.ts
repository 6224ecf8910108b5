import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResult } from '../../core/index.js';
import { importOsv, openAdvisoryDb } from '../../vuln/index.js';
import { runDetectors } from './run.js';

const DSA = fileURLToPath(new URL('../../vuln/fixtures/osv/DSA-5532-1.json', import.meta.url));
const PYSEC = fileURLToPath(new URL('../../vuln/fixtures/osv/PYSEC-2022-42969.json', import.meta.url));

describe('the vuln/osv detector, run by the pipeline', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-scan-'));
    const db = openAdvisoryDb(join(dir, 'strata.db'));
    await importOsv(db, [DSA, PYSEC]);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const inventory = buildResult({
    target: { type: 'container_image', name: 'x' },
    packages: [
      {
        name: 'libssl3',
        version: '3.0.11-1~deb12u1',
        ecosystem: 'Debian:12',
        purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u1',
        source: { name: 'openssl', version: '3.0.11-1~deb12u1' },
        path: 'var/lib/dpkg/status',
      },
    ],
  });

  const run = (options: { db: string; now?: Date }) => {
    const warnings: string[] = [];
    return runDetectors(
      { inventory },
      { scanners: ['vuln'], ...options, onWarning: (w) => warnings.push(w) },
    ).then((r) => ({ ...r, warnings }));
  };

  it('matches with a fresh database and no warning', async () => {
    const r = await run({ db: join(dir, 'strata.db') });
    expect(r.findings.map((f) => f.id)).toEqual(['DSA-5532-1']);
    expect(r.warnings).toEqual([]);
  });

  it('warns when the database is older than 7 days', async () => {
    const r = await run({ db: join(dir, 'strata.db'), now: new Date(Date.now() + 10 * 86_400_000) });
    expect(r.findings.map((f) => f.id)).toEqual(['DSA-5532-1']);
    expect(r.warnings[0]).toMatch(/last updated 10 days ago/);
  });

  it('fails clearly without a database', async () => {
    await expect(run({ db: join(dir, 'none.db') })).rejects.toThrow(/no advisory database at .*none\.db/);
  });

  it('opens no database when the vuln scanner is off', async () => {
    const r = await runDetectors({ inventory }, { scanners: ['secret'], db: join(dir, 'none.db') });
    expect(r.findings).toEqual([]);
  });

  describe('when the inventory holds an ecosystem the database has no advisory for', () => {
    const rocky = buildResult({
      target: { type: 'container_image', name: 'rockylinux:9' },
      os: { family: 'rocky', name: 'Rocky Linux', version: '9.3' },
      packages: ['bash', 'openssl-libs'].map((name) => ({
        name,
        version: '1.0-1.el9',
        ecosystem: 'Rocky Linux:9',
        purl: `pkg:rpm/rocky/${name}@1.0-1.el9`,
        path: 'var/lib/rpm/rpmdb.sqlite',
      })),
    });

    it('says so in errors[] and as a warning, naming the ecosystem and the package count', async () => {
      const warnings: string[] = [];
      const r = await runDetectors(
        { inventory: { ...rocky, packages: [...rocky.packages, ...inventory.packages] } },
        { scanners: ['vuln'], db: join(dir, 'strata.db'), onWarning: (w) => warnings.push(w) },
      );
      const message = expect.stringMatching(
        /^no advisories for Rocky Linux:9 in the database .*strata\.db: 2 packages not checked/,
      );
      // Debian:12 is in the database: only Rocky is reported
      expect(r.errors).toEqual([{ analyzer: 'vuln/osv', message }]);
      expect(warnings).toEqual([message]);
      expect(r.findings.map((f) => f.id)).toEqual(['DSA-5532-1']);
    });
  });

  describe('when a Python package was installed by an OS package (ownedBy)', () => {
    const py = {
      name: 'py',
      version: '1.11.0',
      ecosystem: 'PyPI',
      purl: 'pkg:pypi/py@1.11.0',
      path: 'usr/lib/python3/dist-packages/py-1.11.0.egg-info/PKG-INFO',
    };
    const owner = {
      type: 'deb' as const,
      name: 'python3-py',
      version: '1.11.0-1',
      purl: 'pkg:deb/debian/python3-py@1.11.0-1?arch=all&distro=debian-12',
    };
    const scan = (extra: object) =>
      runDetectors(
        { inventory: { ...inventory, packages: [...inventory.packages, { ...py, ...extra }] } },
        { scanners: ['vuln'], db: join(dir, 'strata.db') },
      );

    it('matches the PyPI advisory when no OS package owns it', async () => {
      const r = await scan({});
      expect(r.findings.map((f) => f.id).sort()).toEqual(['DSA-5532-1', 'PYSEC-2022-42969']);
    });

    it("skips the language advisories and keeps the OS packages' findings", async () => {
      const r = await scan({ ownedBy: owner });
      expect(r.findings.map((f) => f.id)).toEqual(['DSA-5532-1']);
    });
  });

  describe('when the inventory holds the application itself (extra.main)', () => {
    const GO = fileURLToPath(new URL('../../../data/demo-osv/Go/GO-2020-0001.json', import.meta.url));
    const scan = async (version: string, ecosystem = 'Go') => {
      const db = openAdvisoryDb(join(dir, 'go.db'));
      await importOsv(db, [GO]);
      db.close();
      const record = JSON.parse(readFileSync(GO, 'utf8')) as { affected: { package: { name: string } }[] };
      const name = record.affected[0]!.package.name;
      const app = {
        name,
        version,
        ecosystem,
        purl: `pkg:golang/${name}@${version}`,
        path: 'app',
        extra: { main: true },
      };
      const r = await runDetectors(
        { inventory: { ...inventory, packages: [app] } },
        { scanners: ['vuln'], db: join(dir, 'go.db') },
      );
      return r.findings.map((f) => f.id);
    };

    it('never matches a (devel) Go main module', async () => {
      expect(await scan('(devel)')).toEqual([]);
    });

    it('matches a Go main module with a release version, as the module it is', async () => {
      expect(await scan('1.5.0')).toEqual(['GO-2020-0001']);
    });
  });
});
