import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeBytes, fixture } from './fixtures/support.js';

/** `rpm -ql` of every package, as rpm itself printed it: name -> sorted paths without the leading `/`. */
function rpmQl(path: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of gunzipSync(fixture(path)).toString('utf8').split('\n')) {
    if (!line) continue;
    const [name, file] = line.split('\t') as [string, string];
    const paths = out.get(name) ?? [];
    paths.push(file.replace(/^\//, ''));
    out.set(name, paths);
  }
  for (const paths of out.values()) paths.sort();
  return out;
}

describe('rpm analyzer ownedFiles', () => {
  describe('when the database is a real sqlite rpmdb (CBL-Mariner 2.0)', () => {
    it('lists for every package the files rpm -ql lists', async () => {
      const result = await analyzeBytes(
        fixture('sqlite-cbl-mariner/rpmdb.sqlite'),
        'var/lib/rpm/rpmdb.sqlite',
      );
      const expected = rpmQl('sqlite-cbl-mariner/expected-rpm-ql.tsv.gz');
      const actual = new Map((result.ownedFiles ?? []).map((o) => [o.name, [...o.paths]]));
      expect(actual.size).toBeGreaterThan(100);
      expect(actual).toEqual(expected);
      expect(result.errors).toBeUndefined();
    });

    it('names the owner with type and arch', async () => {
      const result = await analyzeBytes(
        fixture('sqlite-cbl-mariner/rpmdb.sqlite'),
        'var/lib/rpm/rpmdb.sqlite',
      );
      const curl = result.ownedFiles?.find((o) => o.name === 'curl');
      expect(curl).toMatchObject({ type: 'rpm', name: 'curl', arch: 'x86_64' });
      expect(curl?.paths).toContain('usr/bin/curl');
    });
  });

  describe('when the database is BerkeleyDB (RHEL 8 libuuid)', () => {
    it('joins dirnames and basenames', async () => {
      const result = await analyzeBytes(fixture('bdb-libuuid/Packages'));
      const libuuid = result.ownedFiles?.find((o) => o.name === 'libuuid');
      expect(libuuid?.paths.some((p) => /^usr\/lib64\/libuuid\.so\.1/.test(p))).toBe(true);
    });
  });
});
