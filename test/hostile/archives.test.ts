import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawZip } from '../../src/core/testing/raw-zip.js';
import { base256, paxRecord, rawHeader, rawTar } from '../../src/image/tar/testing/raw-tar.js';
import { gzipLayer } from '../../src/image/walker/testing/fake-image.js';
import { zstdFrame } from '../../src/image/walker/testing/zstd-frames.js';
import { expectCleanEnd, expectInputError, strataHostile } from '../support/hostile.js';
import { writeLayout } from '../support/oci-layout.js';

/**
 * Issue 12, decompression and archives: bombs (zstd, gzip, overlapping zips), whiteouts that would
 * erase an image, zips of stored records, malformed tar headers. Each case runs the built CLI under
 * the hostile caps and ends in seconds with exit 0 or 2 and one clear line.
 */
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
const OSV = resolve('src/vuln/fixtures/osv');

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-hostile-archives-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
function layout(layers: Buffer[], layerMediaType?: string): string {
  const dir = join(work, `image-${n++}`);
  writeLayout(dir, { layers, ...(layerMediaType ? { layerMediaType } : {}) });
  return `oci:${dir}`;
}

/** A tar header for one file of `size` bytes, without its body. */
const fileHeader = (name: string, size: number) =>
  rawHeader({ name, sizeField: Buffer.from(`${size.toString(8).padStart(11, '0')}\0`) });

const dpkgLayer = () =>
  gzipLayer([
    {
      name: 'var/lib/dpkg/status',
      content: 'Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\n',
    },
    { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
  ]);

describe('layer bombs', () => {
  it('a zstd layer that expands 4 GiB from 130 KB stops at the layer limit', async () => {
    const bomb = zstdFrame([{ raw: fileHeader('zeros', 4 * GiB) }, { rle: 0, size: 4 * GiB }]);
    const r = await strataHostile(['sbom', layout([bomb], ZSTD), '--format', 'json', '-q'], {
      env: { STRATA_MAX_LAYER_BYTES: '256M' },
    });
    expectInputError(
      r,
      /^strata: .*layer sha256:[0-9a-f]{64}: uncompressed layer is over the 256 MiB limit \(STRATA_MAX_LAYER_BYTES\)$/m,
    );
  });

  it('a zstd frame that declares a 2 GiB window is refused before allocating it', async () => {
    const bomb = zstdFrame([{ raw: fileHeader('x', 0) }], { windowLog: 31 });
    const r = await strataHostile(['sbom', layout([bomb], ZSTD), '--format', 'json', '-q']);
    expectInputError(r, /zstd window of 2147483648 bytes is over the 128 MiB limit/);
  });

  it('a gzip layer that expands 1 GiB from 1 MB stops at the layer limit', async () => {
    const zeros = gzipSync(Buffer.alloc(64 * MiB), { level: 9 });
    const bomb = Buffer.concat([gzipSync(fileHeader('zeros', GiB)), ...Array(16).fill(zeros)]);
    expect(bomb.length).toBeLessThan(2 * MiB);
    const r = await strataHostile(['sbom', layout([bomb]), '--format', 'json', '-q'], {
      env: { STRATA_MAX_LAYER_BYTES: '128M' },
    });
    expectInputError(r, /layer sha256:[0-9a-f]{64}: uncompressed layer is over the 128 MiB limit/);
  });

  it('layers that each fit stop at the image limit', async () => {
    const layer = () => gzipLayer([{ name: 'f', content: Buffer.alloc(40 * MiB) }]);
    const r = await strataHostile(
      ['sbom', layout([await layer(), await layer()]), '--format', 'json', '-q'],
      {
        env: { STRATA_MAX_IMAGE_BYTES: '64M' },
      },
    );
    expectInputError(r, /uncompressed image is over the 64 MiB limit \(STRATA_MAX_IMAGE_BYTES\)/);
  });

  it('a limit that is not a byte size is a usage error', async () => {
    const r = await strataHostile(['sbom', layout([await dpkgLayer()]), '--format', 'json', '-q'], {
      env: { STRATA_MAX_LAYER_BYTES: 'lots' },
    });
    expectInputError(r, /STRATA_MAX_LAYER_BYTES: "lots" is not a byte size/);
  });
});

describe('whiteouts', () => {
  it.each(['.wh.', 'usr/.wh.', '.wh..wh..opq', 'var/.wh...'])(
    'a layer with the whiteout %j is refused, never read as "delete everything"',
    async (name) => {
      const image = layout([await dpkgLayer(), await gzipLayer([{ name, content: '' }])]);
      const r = await strataHostile(['sbom', image, '--format', 'json', '-q']);
      expectInputError(
        r,
        new RegExp(
          `layer sha256:[0-9a-f]{64}: entry "${name.replace(/\./g, '\\.')}" is a malformed whiteout`,
        ),
      );
    },
  );

  it('a well-formed whiteout still deletes what it names', async () => {
    const alone = await strataHostile(['sbom', layout([await dpkgLayer()]), '--format', 'json', '-q']);
    expect(JSON.parse(alone.stdout).packages.map((p: { name: string }) => p.name)).toEqual(['libc6']);
    const image = layout([
      await dpkgLayer(),
      await gzipLayer([{ name: 'var/lib/dpkg/.wh.status', content: '' }]),
    ]);
    const r = await strataHostile(['sbom', image, '--format', 'json', '-q']);
    expectCleanEnd(r, [0]);
    expect(JSON.parse(r.stdout).packages).toEqual([]);
  });
});

describe('malformed tar headers', () => {
  it.each([
    [
      'a malformed PAX record',
      [
        { name: 'PaxHeader/x', flag: 'x', body: '99 path=a\n' },
        { name: 'x', body: 'y' },
      ],
      /bad|PAX record/,
    ],
    [
      'a PAX size in exponent form',
      [
        { name: 'PaxHeader/x', flag: 'x', body: paxRecord('size', '1e3') },
        { name: 'x', body: 'y' },
      ],
      /bad PAX size/,
    ],
    ['a base-256 size over 2^53', [{ name: 'x', sizeField: base256(2n ** 80n) }], /size out of range/],
    ['a bad checksum', [{ name: 'x', body: 'y', badChecksum: true }], /bad tar header checksum/],
  ])('a layer with %s is one clear error naming the layer', async (_, entries, message) => {
    const r = await strataHostile(['sbom', layout([gzipSync(rawTar(entries))]), '--format', 'json', '-q']);
    expectInputError(r, /layer sha256:[0-9a-f]{64}: not a readable tar/);
    expect(r.stderr).toMatch(message);
  });

  it('an oci-archive whose own tar has a malformed PAX record names the file', async () => {
    const archive = join(work, 'bad-pax.tar');
    writeFileSync(
      archive,
      rawTar([
        { name: 'PaxHeader/x', flag: 'x', body: '5 a\n' },
        { name: 'oci-layout', body: '{}' },
      ]),
    );
    const r = await strataHostile(['sbom', `oci-archive:${archive}`, '--format', 'json', '-q']);
    expectInputError(r, /bad-pax\.tar: not a valid tar archive \(PAX record .* at byte \d+\)/);
  });
});

describe('zip archives', () => {
  const record = (id: string) => readFileSync(join(OSV, `${id}.json`));

  it('db import refuses an overlapping-entry zip bomb, naming the entry', async () => {
    const zip = join(work, 'bomb.zip');
    const aliases = Array.from({ length: 5000 }, (_, i) => ({ name: `r${i}.json`, sameAs: 0 }));
    writeFileSync(zip, rawZip([{ name: 'kernel.json', data: Buffer.alloc(16 * MiB, 0x20) }], { aliases }));
    const r = await strataHostile(['db', 'import', zip, '--db', join(work, 'bomb.db')]);
    expectInputError(
      r,
      /bomb\.zip!r0\.json: zip entry overlaps another entry \(a zip bomb\), refusing the archive/,
    );
  });

  it('db import takes stored records and counts bad ones exactly', async () => {
    const zip = join(work, 'stored.zip');
    writeFileSync(
      zip,
      rawZip([
        { name: 'DSA-5532-1.json', data: record('DSA-5532-1'), method: 0 },
        { name: 'GO-2026-6090.json', data: record('GO-2026-6090'), method: 0 },
        { name: 'broken.json', data: '{', method: 0 },
        { name: 'lies.json', data: record('DSA-5678-1'), method: 8, declaredSize: 10 },
      ]),
    );
    const r = await strataHostile(['db', 'import', zip, '--db', join(work, 'stored.db')]);
    expectCleanEnd(r, [0]);
    expect(r.stderr).toMatch(/imported 2, replaced 0, skipped 0, withdrawn 0, bad 2/);
    expect(r.stderr.match(/bad record /g)).toHaveLength(2);
  });

  it('a jar whose nested jars overlap is one error for that file; the scan goes on', async () => {
    const dir = join(work, 'jars');
    mkdirSync(dir);
    const inner = rawZip([
      {
        name: 'META-INF/maven/org.ex/a/pom.properties',
        data: 'groupId=g\nartifactId=a\nversion=1\n',
        method: 0,
      },
    ]);
    const aliases = Array.from({ length: 5000 }, (_, i) => ({ name: `lib/c${i}.jar`, sameAs: 0 }));
    writeFileSync(join(dir, 'app.jar'), rawZip([{ name: 'lib/a.jar', data: inner, method: 0 }], { aliases }));
    const r = await strataHostile(['fs', dir, '--format', 'json', '--scanners', 'secret']);
    expectCleanEnd(r, [0]);
    const out = JSON.parse(r.stdout) as { errors: { path: string; message: string }[] };
    expect(out.errors).toEqual([
      expect.objectContaining({
        path: 'app.jar',
        message: expect.stringMatching(/overlaps another entry \(a zip bomb\)/),
      }),
    ]);
  });
});
