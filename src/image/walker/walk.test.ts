import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dpkgAnalyzer } from '../../analyzers/os/dpkg/index.js';
import { osReleaseAnalyzer } from '../../analyzers/os/release/index.js';
import type { Analyzer } from '../../core/analyzer.js';
import { secretFinding } from '../../core/finding/index.js';
import { buildInventory } from '../../scan/inventory.js';
import { fakeImage, gzipLayer, makeTar } from './testing/fake-image.js';
import { walkImage } from './walk.js';

const status = (...pkgs: [string, string][]) =>
  pkgs
    .map(([n, v]) => `Package: ${n}\nStatus: install ok installed\nVersion: ${v}\nArchitecture: amd64\n`)
    .join('\n');

/** Records which paths it was handed, and how often. */
function recorder(match: RegExp, scope?: 'every-layer'): Analyzer & { seen: string[] } {
  const seen: string[] = [];
  return {
    name: 'test/recorder',
    version: 1,
    ...(scope ? { scope } : {}),
    seen,
    required: (f) => match.test(f.path),
    analyze: async ({ meta, content }) => {
      seen.push(`${meta.path}=${content.toString()}`);
      return { packages: [{ type: 'npm', name: meta.path, version: content.toString() }] };
    },
  };
}

async function paths(blobs: Buffer[], analyzer: Analyzer) {
  const out = await walkImage(fakeImage(blobs), { analyzers: [analyzer] });
  return out.files.map((f) => f.path);
}

describe('layer walker', () => {
  describe('when a later layer deletes files', () => {
    it('hides a file removed by a whiteout', async () => {
      const a = recorder(/^app\//);
      const l1 = await gzipLayer([
        { name: 'app/a', content: '1' },
        { name: 'app/b', content: '1' },
      ]);
      const l2 = await gzipLayer([{ name: 'app/.wh.a', content: '' }]);
      expect(await paths([l1, l2], a)).toEqual(['app/b']);
    });

    it('hides a whole directory removed by a whiteout of the directory', async () => {
      const a = recorder(/^app\//);
      const l1 = await gzipLayer([
        { name: 'app/x/a', content: '1' },
        { name: 'app/y', content: '1' },
      ]);
      const l2 = await gzipLayer([{ name: 'app/.wh.x', content: '' }]);
      expect(await paths([l1, l2], a)).toEqual(['app/y']);
    });

    it.each<[string, { name: string; content: string } | { name: string; type: 'directory' }]>([
      ['a whiteout that names nothing', { name: '.wh.', content: '' }],
      ['a whiteout that names nothing, in a directory', { name: 'var/lib/.wh.', content: '' }],
      ['a whiteout of "."', { name: 'var/.wh..', content: '' }],
      ['a whiteout of ".."', { name: 'var/lib/.wh...', content: '' }],
      ['an opaque marker for the image root', { name: '.wh..wh..opq', content: '' }],
      ['an opaque marker inside a whiteout', { name: 'var/.wh.lib/.wh..wh..opq', content: '' }],
      ['an entry below a whiteout', { name: 'var/.wh.lib/dpkg/status', content: '' }],
      ['a whiteout that is a directory', { name: 'var/.wh.lib', type: 'directory' }],
    ])('refuses %s, naming the layer and entry, instead of deleting everything', async (_, entry) => {
      const l1 = await gzipLayer([{ name: 'var/lib/dpkg/status', content: status(['libc6', '2.36']) }]);
      const l2 = await gzipLayer([entry]);
      const image = fakeImage([l1, l2]);
      const walked = walkImage(image, { analyzers: [dpkgAnalyzer] });
      await expect(walked).rejects.toMatchObject({ code: 'MALFORMED_WHITEOUT' });
      await expect(walked).rejects.toThrow(
        `layer ${image.layers[1]!.digest}: entry "${entry.name.replace(/\/$/, '')}" is a malformed whiteout`,
      );
    });

    it('reads reserved AUFS names (.wh..wh.plnk) as metadata: nothing is deleted, nothing refused', async () => {
      const a = recorder(/^app\//);
      const l1 = await gzipLayer([
        { name: 'app/a', content: '1' },
        { name: 'app/b', content: '1' },
      ]);
      const l2 = await gzipLayer([{ name: 'app/.wh..wh.plnk', content: '' }]);
      expect(await paths([l1, l2], a)).toEqual(['app/a', 'app/b']);
    });

    it('keeps only the opaque layer own entries under an opaque directory, whatever the tar order', async () => {
      const a = recorder(/^app\//);
      const l1 = await gzipLayer([
        { name: 'app/old', content: '1' },
        { name: 'app/keep/z', content: '1' },
      ]);
      const l2 = await gzipLayer([
        { name: 'app/new', content: '2' },
        { name: 'app/.wh..wh..opq', content: '' },
      ]);
      expect(await paths([l1, l2], a)).toEqual(['app/new']);
    });

    it('drops tracked files when a later layer replaces their directory with a symlink', async () => {
      const a = recorder(/^app\//);
      const l1 = await gzipLayer([{ name: 'app/a', content: '1' }]);
      const l2 = await gzipLayer([{ name: 'app', type: 'symlink', linkname: '/opt' }]);
      expect(await paths([l1, l2], a)).toEqual([]);
    });
  });

  describe('when packages change across layers', () => {
    it('attributes each package to the layer that introduced it, and an upgrade to the upgrading layer', async () => {
      const l1 = await gzipLayer([
        { name: 'var/lib/dpkg/status', content: status(['base', '1'], ['zlib', '1.0']) },
      ]);
      const l2 = await gzipLayer([
        { name: 'var/lib/dpkg/status', content: status(['base', '1'], ['zlib', '1.0'], ['curl', '8']) },
      ]);
      const l3 = await gzipLayer([
        { name: 'var/lib/dpkg/status', content: status(['base', '1'], ['zlib', '1.1'], ['curl', '8']) },
      ]);
      const image = fakeImage([l1, l2, l3]);
      const out = await walkImage(image, { analyzers: [dpkgAnalyzer] });
      const inv = buildInventory(out.files, image.layers);
      const layerOf = Object.fromEntries(inv.packages.map((p) => [`${p.name}@${p.version}`, p.layer]));
      expect(layerOf).toEqual({
        'base@1': image.layers[0]!.digest,
        'curl@8': image.layers[1]!.digest,
        'zlib@1.1': image.layers[2]!.digest,
      });
    });

    it('keeps the history of a database file when a later layer re-lists its directory', async () => {
      const l1 = await gzipLayer([{ name: 'var/lib/dpkg/status', content: status(['base', '1']) }]);
      const l2 = await gzipLayer([
        { name: 'var/lib/dpkg/', type: 'directory' },
        { name: 'var/lib/dpkg/status', content: status(['base', '1'], ['curl', '8']) },
      ]);
      const image = fakeImage([l1, l2]);
      const out = await walkImage(image, { analyzers: [dpkgAnalyzer] });
      const inv = buildInventory(out.files, image.layers);
      expect(inv.packages.find((p) => p.name === 'base')?.layer).toBe(image.layers[0]!.digest);
    });

    it('does not report a package whose database file was deleted', async () => {
      const l1 = await gzipLayer([{ name: 'var/lib/dpkg/status.d/foo', content: status(['foo', '1']) }]);
      const l2 = await gzipLayer([{ name: 'var/lib/dpkg/status.d/.wh.foo', content: '' }]);
      const out = await walkImage(fakeImage([l1, l2]), { analyzers: [dpkgAnalyzer] });
      expect(buildInventory(out.files, []).packages).toEqual([]);
    });
  });

  describe('entries', () => {
    it('normalises ./ and / prefixes and skips the root entry and device nodes', async () => {
      const a = recorder(/^etc\//);
      const l1 = await makeTar([
        { name: './', type: 'directory' },
        { name: './etc/a', content: '1' },
        { name: '/etc/b', content: '2' },
        { name: 'dev/null', type: 'character-device' },
      ]);
      expect(await paths([l1], a)).toEqual(['etc/a', 'etc/b']);
    });

    it('applies PAX long names', async () => {
      const long = `app/${'d'.repeat(150)}/${'f'.repeat(120)}`;
      const a = recorder(/^app\//);
      const l1 = await makeTar([{ name: long, content: 'v' }]);
      expect(await paths([l1], a)).toEqual([long]);
    });

    it('reads a wanted file once and shares the bytes between analyzers', async () => {
      const a = recorder(/^x$/);
      const b = { ...recorder(/^x$/), name: 'test/other' };
      const l1 = await gzipLayer([{ name: 'x', content: 'hello' }]);
      const out = await walkImage(fakeImage([l1]), { analyzers: [a, b] });
      expect(a.seen).toEqual(['x=hello']);
      expect(b.seen).toEqual(['x=hello']);
      expect([...out.files[0]!.versions[0]!.results.keys()].sort()).toEqual(['test/other', 'test/recorder']);
    });

    it('gives a hardlink the analysis of its target', async () => {
      const a = recorder(/^bin\//);
      const l1 = await makeTar([
        { name: 'bin/a', content: 'v1' },
        { name: 'bin/b', type: 'link', linkname: 'bin/a' },
      ]);
      const out = await walkImage(fakeImage([l1]), { analyzers: [a] });
      expect(out.files.map((f) => f.path)).toEqual(['bin/a', 'bin/b']);
      expect(a.seen).toEqual(['bin/a=v1']);
    });

    it('reports a file over the analyzer size cap as an error and goes on', async () => {
      const a = { ...recorder(/^big$/), maxFileSize: 4 };
      const l1 = await gzipLayer([{ name: 'big', content: 'too large' }]);
      const out = await walkImage(fakeImage([l1]), { analyzers: [a] });
      expect(out.files).toEqual([]);
      expect(out.errors).toEqual([
        { analyzer: 'test/recorder', path: 'big', message: expect.stringMatching(/too large/) },
      ]);
    });

    it('hands every layer copy to every-layer analyzers, even one deleted later', async () => {
      const finder: Analyzer = {
        name: 'secret/test',
        version: 1,
        scope: 'every-layer',
        required: (f) => f.path === 'key',
        analyze: async () => ({
          findings: [
            secretFinding({
              id: 'k',
              severity: 'HIGH',
              title: 't',
              location: {},
              evidence: { rule: 'k', category: 'test', match: 'se****et' },
            }),
          ],
        }),
      };
      const l1 = await gzipLayer([{ name: 'key', content: 'secret' }]);
      const l2 = await gzipLayer([{ name: '.wh.key', content: '' }]);
      const image = fakeImage([l1, l2]);
      const out = await walkImage(image, { analyzers: [finder] });
      expect(out.layerFindings.map((f) => f.location)).toEqual([
        { path: 'key', layer: image.layers[0]!.digest },
      ]);
    });
  });

  describe('compression', () => {
    it.each([
      ['gzip', (t: Buffer) => gzipSync(t)],
      ['uncompressed', (t: Buffer) => t],
    ])('reads %s layers', async (_name, compress) => {
      const a = recorder(/^f$/);
      const blob = compress(await makeTar([{ name: 'f', content: 'x' }]));
      expect(await paths([blob], a)).toEqual(['f']);
    });
  });

  describe('bad input', () => {
    it('refuses a GNU sparse entry (a 10 GB declared file) without expanding it', async () => {
      const tar = await makeTar([{ name: 'sparse', content: 'x' }]);
      tar[156] = 'S'.charCodeAt(0); // typeflag: GNU sparse
      tar.write('00000000000', 124, 'ascii'); // keep the stored size small; realsize is what lies
      let sum = 0;
      tar.fill(' ', 148, 156);
      for (let i = 0; i < 512; i++) sum += tar[i]!;
      tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
      await expect(walkImage(fakeImage([tar]), { analyzers: [] })).rejects.toMatchObject({
        code: 'UNSUPPORTED_ENTRY',
        message: expect.stringMatching(/sparse/),
      });
    });

    it('refuses a path that escapes the root', async () => {
      const l1 = await makeTar([{ name: '../../etc/passwd', content: 'root:x:0:0' }]);
      await expect(walkImage(fakeImage([l1]), { analyzers: [osReleaseAnalyzer] })).rejects.toMatchObject({
        code: 'PATH_TRAVERSAL',
      });
    });

    it('refuses a truncated gzip layer with a clear error', async () => {
      const blob = gzipSync(await makeTar([{ name: 'f', content: 'x'.repeat(100_000) }]));
      const truncated = blob.subarray(0, blob.length - 100);
      await expect(walkImage(fakeImage([truncated]), { analyzers: [] })).rejects.toMatchObject({
        code: 'CORRUPT_LAYER',
        message: expect.stringMatching(/truncated/),
      });
    });

    it('refuses bytes that are not a tar', async () => {
      await expect(
        walkImage(fakeImage([Buffer.from('this is not a tar archive at all'.repeat(40))]), { analyzers: [] }),
      ).rejects.toMatchObject({ code: 'CORRUPT_LAYER' });
    });
  });
});
