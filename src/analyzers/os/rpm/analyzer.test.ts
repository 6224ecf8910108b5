import { describe, expect, it } from 'vitest';
import { analyzeBytes, draftFor, fixture, fixtureJson, type RpmRow } from './fixtures/support.js';
import { rpmAnalyzer } from './index.js';

interface RpmQaList {
  readonly packages: readonly RpmRow[];
}

/** go-rpmdb's own expectation files use rpm's tag names. */
interface GoRpmdbPackage {
  readonly Name: string;
  readonly Epoch?: number | null;
  readonly Version: string;
  readonly Release: string;
  readonly Arch: string;
  readonly SourceRpm: string;
  readonly License: string;
  readonly Vendor: string;
}

function fromGoRpmdb(p: GoRpmdbPackage): RpmRow {
  return {
    name: p.Name,
    epoch: p.Epoch ?? null,
    version: p.Version,
    release: p.Release,
    arch: p.Arch,
    sourceRpm: p.SourceRpm || null,
    license: p.License || null,
    vendor: p.Vendor || null,
  };
}

describe('rpm analyzer', () => {
  describe('required()', () => {
    it.each([
      ['var/lib/rpm/Packages', true],
      ['var/lib/rpm/rpmdb.sqlite', true],
      ['var/lib/rpm/Packages.db', true],
      ['usr/lib/sysimage/rpm/rpmdb.sqlite', true],
      ['usr/lib/sysimage/rpm/Packages.db', true],
      ['usr/lib/sysimage/rpm/Packages', true],
      ['usr/share/rpm/Packages', true],
      ['usr/share/rpm/rpmdb.sqlite', true],
      ['var/lib/rpm/Name', false],
      ['var/lib/rpm/rpmdb.sqlite-wal', false],
      ['var/lib/rpm/Index.db', false],
      ['var/lib/rpm/packages', false],
      ['opt/var/lib/rpm/Packages', false],
      ['var/lib/rpm/sub/Packages', false],
      ['var/lib/dpkg/status', false],
      ['Packages', false],
    ])('%s -> %s', (path, expected) => {
      expect(rpmAnalyzer.required({ path, size: 4096, mode: 0o100644 })).toBe(expected);
    });

    it('accepts databases up to 512 MiB', () => {
      expect(rpmAnalyzer.maxFileSize).toBe(512 * 1024 * 1024);
    });
  });

  describe('when the database is sqlite (CBL-Mariner 2.0, rpm >= 4.16)', () => {
    const path = 'var/lib/rpm/rpmdb.sqlite';
    const load = () => analyzeBytes(fixture('sqlite-cbl-mariner/rpmdb.sqlite'), path);

    it('returns exactly the 129 packages rpm 4.18 lists, sorted', async () => {
      const expected = fixtureJson<RpmQaList>('sqlite-cbl-mariner/expected-rpm-qa.json').packages;
      const result = await load();
      expect(result.errors).toBeUndefined();
      expect(result.packages).toEqual(expected.map((row) => draftFor(row, path)));
      expect(result.packages).toHaveLength(129);
    });

    it('reads curl as go-rpmdb expects it', async () => {
      const want = fixtureJson<{ want: GoRpmdbPackage }>(
        'sqlite-cbl-mariner/expected_package_curl.json',
      ).want;
      const curl = (await load()).packages?.find((p) => p.name === 'curl');
      expect(curl).toEqual(draftFor(fromGoRpmdb(want), path));
      expect(curl?.version).toBe('7.76.0-6.cm2');
    });

    it("leaves the caller's bytes as they were (rpm leaves the file in WAL mode)", async () => {
      const content = fixture('sqlite-cbl-mariner/rpmdb.sqlite');
      const before = Buffer.from(content);
      expect(content[18]).toBe(2);
      await analyzeBytes(content, path);
      expect(content.equals(before)).toBe(true);
    });

    it('writes the epoch into the version and the source version', async () => {
      const pkg = (await load()).packages?.find((p) => p.name === 'ca-certificates-base');
      expect(pkg).toMatchObject({
        version: '1:2.0.0-1.cm2',
        epoch: 1,
        source: { name: 'ca-certificates', version: '1:2.0.0-1.cm2' },
      });
    });
  });

  describe('when the database is BerkeleyDB (RHEL 8 libuuid)', () => {
    it('returns the one package rpm and go-rpmdb list', async () => {
      const expected = fixtureJson<RpmQaList>('bdb-libuuid/expected-rpm-qa.json').packages;
      const goRpmdb = fixtureJson<{ want: GoRpmdbPackage }>('bdb-libuuid/expected_package_libuuid.json').want;
      const result = await analyzeBytes(fixture('bdb-libuuid/Packages'));
      expect(result.errors).toBeUndefined();
      expect(result.packages).toEqual(expected.map((row) => draftFor(row, 'var/lib/rpm/Packages')));
      expect(result.packages).toEqual([draftFor(fromGoRpmdb(goRpmdb), 'var/lib/rpm/Packages')]);
      expect(result.packages?.[0]?.source).toEqual({ name: 'util-linux', version: '2.32.1-42.el8_8' });
    });
  });

  describe('when the database is BerkeleyDB without a vendor (syft dive)', () => {
    it('returns dive 0.9.2-1 with no vendor', async () => {
      const expected = fixtureJson<RpmQaList>('bdb-dive/expected-rpm-qa.json').packages;
      const result = await analyzeBytes(fixture('bdb-dive/Packages'));
      expect(result.errors).toBeUndefined();
      expect(result.packages).toEqual(expected.map((row) => draftFor(row, 'var/lib/rpm/Packages')));
      expect(result.packages?.[0]).toMatchObject({ name: 'dive', version: '0.9.2-1', arch: 'x86_64' });
      expect(result.packages?.[0]).not.toHaveProperty('vendor');
    });
  });

  describe('when the database is NDB (SLE 15 BCI)', () => {
    it('returns exactly the 35 packages go-rpmdb expects, sorted', async () => {
      const path = 'usr/lib/sysimage/rpm/Packages.db';
      const want = fixtureJson<{ packages: GoRpmdbPackage[] }>(
        'ndb-sle15-bci/expected_packages.json',
      ).packages;
      const expected = want
        .map(fromGoRpmdb)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((row) => draftFor(row, path));
      const result = await analyzeBytes(fixture('ndb-sle15-bci/Packages.db'), path);
      expect(result.errors).toBeUndefined();
      expect(result.packages).toEqual(expected);
      expect(result.packages).toHaveLength(35);
    });
  });

  describe('when the file is no rpm database', () => {
    it('reports it in errors and returns no packages', async () => {
      const result = await analyzeBytes(
        Buffer.from('just some text that happens to sit at var/lib/rpm/Packages'),
      );
      expect(result.packages).toBeUndefined();
      expect(result.errors).toEqual(['not an rpm database: no sqlite, BerkeleyDB hash or NDB magic']);
    });
  });

  describe('when the scan is cancelled', () => {
    it('stops with a CancelledError', async () => {
      const controller = new AbortController();
      controller.abort();
      const content = fixture('ndb-sle15-bci/Packages.db');
      const run = rpmAnalyzer.analyze(
        { meta: { path: 'var/lib/rpm/Packages.db', size: content.length, mode: 0o100644 }, content },
        controller.signal,
      );
      await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    });
  });
});
