import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apkAnalyzer, parseApkInstalled } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('apk analyzer', () => {
  it.each([
    ['lib/apk/db/installed', true],
    ['lib/apk/db/installed.bak', false],
    ['usr/lib/apk/db/installed', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(apkAnalyzer.required({ path, size: 1, mode: 0o644 })).toBe(want);
  });

  describe('when installed holds a real Alpine database (trivy fixture)', () => {
    const expected = (
      JSON.parse(fixture('expected.json')) as {
        expected_packages: {
          Name: string;
          Version: string;
          SrcName: string;
          Arch: string;
          Licenses?: string[];
          Digest?: string;
          InstalledFiles?: string[];
        }[];
      }
    ).expected_packages;
    const { packages, ownedFiles, errors } = parseApkInstalled(fixture('installed'));

    it('returns the 15 packages with origin, arch, license and checksum', () => {
      const got = packages.map((p) => ({
        Name: p.name,
        Version: p.version,
        SrcName: p.source?.name,
        Arch: p.arch,
      }));
      const want = expected.map((p) => ({
        Name: p.Name,
        Version: p.Version,
        SrcName: p.SrcName,
        Arch: p.Arch,
      }));
      expect(got.sort((a, b) => a.Name.localeCompare(b.Name))).toEqual(
        want.sort((a, b) => a.Name.localeCompare(b.Name)),
      );
    });

    it('keeps the license expression as apk declares it', () => {
      expect(packages.find((p) => p.name === 'ada-libs')?.licenses).toEqual([
        '( Apache-2.0 OR MIT ) AND MPL-2.0',
      ]);
    });

    it("lists each package's installed files as Trivy's InstalledFiles (F: directory + R: file)", () => {
      const got = Object.fromEntries(ownedFiles.map((o) => [o.name, o.paths]));
      const want = Object.fromEntries(
        expected.filter((p) => p.InstalledFiles?.length).map((p) => [p.Name, p.InstalledFiles]),
      );
      expect(Object.keys(want).length).toBeGreaterThan(10);
      expect(got).toEqual(want);
      expect(ownedFiles.find((o) => o.name === 'musl')).toMatchObject({ type: 'apk', arch: 'x86_64' });
    });

    it('reports the stanza without a version as an error', () => {
      expect(errors).toEqual([expect.stringMatching(/missing V field/)]);
    });
  });
});
