import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANALYZERS } from '../analyzers/index.js';
import type { Analyzer } from '../core/analyzer.js';
import type { TrackedFile } from '../image/walker/index.js';
import { buildInventory } from './inventory.js';

const fixture = (path: string) => readFileSync(new URL(`../analyzers/${path}`, import.meta.url));
const analyzer = (name: string): Analyzer => ANALYZERS.find((a) => a.analyzer.name === name)!.analyzer;

/**
 * One file of the final filesystem, analysed by the real analyzer that claims it. The Go fixtures are
 * a binary's build-info sections only, so they are presented at a real binary's size.
 */
async function tracked(name: string, path: string, content: Buffer): Promise<TrackedFile> {
  const a = analyzer(name);
  const meta = { path, size: Math.max(content.length, 4 << 20), mode: 0o100755 };
  expect(a.required(meta)).toBe(true);
  const result = await a.analyze({ meta, content }, new AbortController().signal);
  return { path, versions: [{ layerIndex: 0, results: new Map([[name, result]]) }] };
}

const DEBIAN = Buffer.from('ID=debian\nVERSION_ID="12"\n');
const PYTHON_APT_STATUS = Buffer.from(
  'Package: python3-apt\nStatus: install ok installed\nArchitecture: amd64\nSource: python-apt\nVersion: 2.6.0\n\n',
);
const pkgInfo = (name: string, version: string) =>
  Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`);
const DIST = 'usr/lib/python3/dist-packages';

describe('language packages an OS package installed', () => {
  describe('when dpkg lists the metadata file (python3-apt, a real info/*.list)', () => {
    const files = () =>
      Promise.all([
        tracked('os/release', 'etc/os-release', DEBIAN),
        tracked('os/dpkg', 'var/lib/dpkg/status', PYTHON_APT_STATUS),
        tracked(
          'os/dpkg',
          'var/lib/dpkg/info/python3-apt.list',
          fixture('os/dpkg/fixtures/python3-apt.list'),
        ),
        tracked('lang/python', `${DIST}/python_apt-2.6.0.egg-info/PKG-INFO`, pkgInfo('python-apt', '2.6.0')),
        // pip's copy next to it: no OS package lists it
        tracked(
          'lang/python',
          `usr/local/lib/python3.11/dist-packages/requests-2.31.0.dist-info/METADATA`,
          pkgInfo('requests', '2.31.0'),
        ),
      ]);

    it('records the owning deb package on the Python package', async () => {
      const { packages } = buildInventory(await files(), []);
      expect(packages.find((p) => p.name === 'python-apt')?.ownedBy).toEqual({
        type: 'deb',
        name: 'python3-apt',
        version: '2.6.0',
        purl: 'pkg:deb/debian/python3-apt@2.6.0?arch=amd64&distro=debian-12',
      });
    });

    it('leaves a pip-installed package and the OS packages unowned', async () => {
      const { packages } = buildInventory(await files(), []);
      expect(packages.find((p) => p.name === 'requests')?.ownedBy).toBeUndefined();
      expect(packages.find((p) => p.name === 'python3-apt')?.ownedBy).toBeUndefined();
    });

    it('owns nothing through a list whose package is not installed', async () => {
      const [release, , list, meta] = await files();
      const { packages } = buildInventory([release!, list!, meta!], []);
      expect(packages.map((p) => [p.name, p.ownedBy])).toEqual([['python-apt', undefined]]);
    });
  });

  describe('when the rpm database lists the file (a real CBL-Mariner rpmdb.sqlite)', () => {
    it('records the rpm package, with its epoch-less version and purl', async () => {
      const files = await Promise.all([
        tracked(
          'os/rpm',
          'var/lib/rpm/rpmdb.sqlite',
          fixture('os/rpm/fixtures/sqlite-cbl-mariner/rpmdb.sqlite'),
        ),
        // a Go binary at a path curl's header lists (the binary's content is irrelevant to ownership)
        tracked('lang/go-binary', 'usr/bin/curl', fixture('lang/go-binary/fixtures/gron-buildinfo.elf')),
      ]);
      const { packages } = buildInventory(files, []);
      const gron = packages.filter((p) => p.path === 'usr/bin/curl');
      expect(gron.length).toBeGreaterThan(0);
      for (const p of gron) {
        expect(p.ownedBy).toMatchObject({ type: 'rpm', name: 'curl', version: '7.76.0-6.cm2' });
        expect(p.ownedBy?.purl).toMatch(/^pkg:rpm\/.*\/curl@7\.76\.0-6\.cm2\?arch=x86_64/);
      }
    });
  });

  describe('when the apk database lists the file (a real Alpine installed db)', () => {
    it('records the apk package', async () => {
      const installed = fixture('os/apk/fixtures/installed');
      const owned = /\nP:busybox\n[\s\S]*?\nF:bin\nR:busybox\n/.test(installed.toString('utf8'));
      expect(owned).toBe(true);
      const files = await Promise.all([
        tracked('os/apk', 'lib/apk/db/installed', installed),
        tracked('lang/go-binary', 'bin/busybox', fixture('lang/go-binary/fixtures/gron-buildinfo.elf')),
      ]);
      const { packages } = buildInventory(files, []);
      const bin = packages.filter((p) => p.path === 'bin/busybox');
      expect(bin.length).toBeGreaterThan(0);
      expect(bin.every((p) => p.ownedBy?.type === 'apk' && p.ownedBy.name === 'busybox')).toBe(true);
      expect(bin[0]?.ownedBy?.version).toBe('1.24.2-r9');
    });
  });
});
