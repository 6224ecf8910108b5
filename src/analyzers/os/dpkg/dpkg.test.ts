import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTxtar } from './fixtures/txtar.js';
import { dpkgAnalyzer, packageOfList, parseCopyright, parseDpkgStatus, parseList } from './index.js';
import { isValidDpkgVersion } from './status.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

interface TrivyPkg {
  Name: string;
  Version: string;
  Epoch?: number;
  Release?: string;
  SrcName?: string;
  SrcVersion?: string;
  SrcEpoch?: number;
  SrcRelease?: string;
  Arch?: string;
}
const full = (epoch: number | undefined, version: string, release: string | undefined) =>
  `${epoch ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;

function expectedCase(name: string) {
  const data = JSON.parse(fixture('expected.json')) as {
    cases: {
      name: string;
      input: string;
      want: { PackageInfos: { FilePath: string; Packages: TrivyPkg[] }[] };
    }[];
  };
  const c = data.cases.find((x) => x.name === name)!;
  const pkgs = c.want.PackageInfos.flatMap((i) => i.Packages);
  return {
    input: parseTxtar(fixture(c.input)).get('var/lib/dpkg/status')!,
    packages: pkgs
      .map((p) => ({
        name: p.Name,
        version: full(p.Epoch, p.Version, p.Release),
        source: p.SrcName ? `${p.SrcName}@${full(p.SrcEpoch, p.SrcVersion!, p.SrcRelease)}` : undefined,
        arch: p.Arch,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function simplify(text: string) {
  return parseDpkgStatus(text)
    .packages.map((p) => ({
      name: p.name,
      version: p.version,
      source: `${p.source?.name ?? p.name}@${p.source?.version ?? p.version}`,
      arch: p.arch,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe('dpkg analyzer', () => {
  describe('required()', () => {
    it.each([
      ['var/lib/dpkg/status', true],
      ['var/lib/dpkg/status.d/libssl3', true],
      ['var/lib/dpkg/status.d/libssl3.md5sums', false],
      ['var/lib/dpkg/status-old', false],
      ['var/lib/dpkg/available', false],
      ['usr/share/doc/zlib1g/copyright', true],
      ['usr/share/doc/zlib1g/changelog.gz', false],
      ['usr/share/doc/zlib1g/sub/copyright', false],
      ['opt/var/lib/dpkg/status', false],
      ['var/lib/dpkg/info/python3-apt.list', true],
      ['var/lib/dpkg/info/libssl3:amd64.list', true],
      ['var/lib/dpkg/info/python3-apt.md5sums', false],
      ['var/lib/dpkg/info/python3-apt.postinst', false],
    ])('%s -> %s', (path, want) => {
      expect(dpkgAnalyzer.required({ path, size: 10, mode: 0o644 })).toBe(want);
    });
  });

  describe('when status holds a real Ubuntu system (trivy "valid" case)', () => {
    it('returns exactly the installed packages with epoch, source and arch', () => {
      const c = expectedCase('valid');
      expect(simplify(c.input)).toEqual(c.packages);
    });
  });

  describe('when status holds garbled paragraphs (trivy "corrupsed" case)', () => {
    it('returns the valid packages and skips the rest', () => {
      const c = expectedCase('corrupsed');
      expect(simplify(c.input)).toEqual(c.packages);
    });
  });

  describe('when status.d holds distroless entries', () => {
    const dir = new URL('./fixtures/syft-status.d/', import.meta.url);
    it.each(readdirSync(dir).filter((f) => ['single', 'multiple', 'libpam-runtime'].includes(f)))(
      '%s yields packages with no Status field',
      (file) => {
        const { packages, errors } = parseDpkgStatus(readFileSync(new URL(file, dir), 'utf8'));
        expect(errors).toEqual([]);
        expect(packages.length).toBeGreaterThan(0);
        for (const p of packages) expect(p.version).toMatch(/^\d/);
      },
    );

    it('skips a deinstalled package', () => {
      const text = readFileSync(new URL('deinstall', dir), 'utf8');
      expect(text).toMatch(/Status: deinstall ok config-files/);
      const names = parseDpkgStatus(text).packages.map((p) => p.name);
      expect(names).toContain('linux-image-6.14.0-1012-aws');
      expect(names).not.toContain('linux-image-6.8.0-1029-aws');
    });

    it('reports an invalid version as an error, not a package', () => {
      const { packages, errors } = parseDpkgStatus(
        'Package: x\nStatus: install ok installed\nVersion: 1:5.#\n',
      );
      expect(packages).toEqual([]);
      expect(errors).toEqual(['package x at line 1: invalid version "1:5.#"']);
    });

    it.each([
      ['1:1.2.13.dfsg-1', true],
      ['2.36-9+deb12u4', true],
      ['1.0~rc1', true],
      ['a1.0', false],
      ['1:5.#', false],
      ['1.0-', false],
    ])('dpkg version %s valid: %s', (v, ok) => {
      expect(isValidDpkgVersion(v)).toBe(ok);
    });

    it('reports a paragraph without Package or Version as an error, not a package', () => {
      const { packages, errors } = parseDpkgStatus(readFileSync(new URL('corrupt', dir), 'utf8'));
      expect(packages).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
    });
  });

  describe('when packages are in states other than installed (dpkg-written stanzas)', () => {
    const parsed = parseDpkgStatus(fixture('states.status'));
    const byName = new Map(parsed.packages.map((p) => [p.name, p]));

    it.each([
      ['demo-broken', 'half-configured'],
      ['demo-unpacked', 'unpacked'],
      ['libc-bin', 'triggers-pending'],
      ['libssl3', 'triggers-awaited'],
      ['zlib1g', 'half-installed'],
    ])('lists %s, whose files are on disk, with its state %s', (name, state) => {
      expect(byName.get(name)?.extra).toEqual({ status: state });
    });

    it('keeps version, source and arch of a half-configured package for matching', () => {
      expect(byName.get('demo-broken')).toMatchObject({
        version: '1:2.0-1+deb12u1',
        epoch: 1,
        source: { name: 'demo', version: '2.0-1+deb12u1' },
        arch: 'all',
      });
    });

    it('leaves an installed package (even held) unmarked', () => {
      expect(byName.get('held-pkg')).toBeDefined();
      expect(byName.get('held-pkg')?.extra).toBeUndefined();
    });

    it('omits not-installed and config-files packages, whose files are gone', () => {
      expect(byName.has('demo-removed')).toBe(false);
      expect(byName.has('libgone1')).toBe(false);
      expect(parsed.errors).toEqual([]);
      expect(parsed.packages).toHaveLength(6);
    });

    it('reports an unknown state as an error, not a package', () => {
      const { packages, errors } = parseDpkgStatus('Package: x\nStatus: install ok exploded\nVersion: 1.0\n');
      expect(packages).toEqual([]);
      expect(errors).toEqual(['package x at line 1: unknown dpkg Status "install ok exploded"']);
    });
  });

  describe('info/*.list files (the files each package installed)', () => {
    const analyze = (path: string, text: string) =>
      dpkgAnalyzer.analyze(
        { meta: { path, size: text.length, mode: 0o644 }, content: Buffer.from(text) },
        new AbortController().signal,
      );

    it("records the dist-packages files Debian's python3-apt installed as owned by it", async () => {
      const r = await analyze('var/lib/dpkg/info/python3-apt.list', fixture('python3-apt.list'));
      expect(r.ownedFiles).toHaveLength(1);
      const owned = r.ownedFiles![0]!;
      expect(owned).toMatchObject({ type: 'deb', name: 'python3-apt' });
      expect(owned.arch).toBeUndefined();
      expect(owned.paths).toContain('usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info');
      expect(owned.paths).toContain('usr/lib/python3/dist-packages/apt_pkg-stubs/__init__.pyi');
      // normalised like the walker's paths: no leading slash, no root entry
      expect(owned.paths.filter((p) => p.startsWith('/') || p === '.' || p === '')).toEqual([]);
      expect(owned.paths).toHaveLength(41);
      expect(r.packages).toBeUndefined();
    });

    it('takes the architecture from a multi-arch list name', async () => {
      const r = await analyze('var/lib/dpkg/info/libtasn1-6:amd64.list', fixture('libtasn1-6_amd64.list'));
      expect(r.ownedFiles).toEqual([
        {
          type: 'deb',
          name: 'libtasn1-6',
          arch: 'amd64',
          paths: expect.arrayContaining([
            'usr/lib/x86_64-linux-gnu/libtasn1.so.6',
            'usr/lib/x86_64-linux-gnu/libtasn1.so.6.6.3',
          ]),
        },
      ]);
    });

    it('reads the list dpkg itself wrote for a half-configured package', () => {
      expect(parseList(fixture('demo-broken.list'))).toEqual([
        'usr',
        'usr/lib',
        'usr/lib/python3',
        'usr/lib/python3/dist-packages',
        'usr/lib/python3/dist-packages/demo',
        'usr/lib/python3/dist-packages/demo/__init__.py',
      ]);
    });

    it.each([
      ['var/lib/dpkg/info/zlib1g:amd64.list', { name: 'zlib1g', arch: 'amd64' }],
      ['var/lib/dpkg/info/adduser.list', { name: 'adduser' }],
      ['var/lib/dpkg/info/sub/x.list', undefined],
      ['var/lib/dpkg/info/.list', undefined],
    ])('%s names %j', (path, want) => {
      expect(packageOfList(path)).toEqual(want);
    });

    it('gives nothing for an empty list', async () => {
      expect(await analyze('var/lib/dpkg/info/empty.list', '/.\n')).toEqual({});
    });
  });

  describe('copyright files', () => {
    it('reads the License fields of a machine-readable copyright', () => {
      expect(parseCopyright(fixture('libpam-runtime.copyright'))).toEqual(['GPL-2', 'LGPL-2.1']);
    });

    it('falls back to common-licenses references', () => {
      expect(
        parseCopyright('see /usr/share/common-licenses/GPL-2.\nand /usr/share/common-licenses/LGPL-2.1'),
      ).toEqual(['GPL-2', 'LGPL-2.1']);
    });
  });
});
