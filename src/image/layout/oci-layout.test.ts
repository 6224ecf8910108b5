import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Descriptor } from '../manifest.js';
import { MEDIA_TYPES } from '../media-types.js';
import { parsePlatform } from '../platform.js';
import type { Platform } from '../types.js';
import { directoryLayout } from './blob-store.js';
import { openLayoutImage, REF_NAME } from './oci-layout.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-oci-layout-'));
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function blob(content: string | Buffer, mediaType: string, extra: Partial<Descriptor> = {}): Descriptor {
  const data = Buffer.from(content);
  const hex = createHash('sha256').update(data).digest('hex');
  writeFileSync(join(dir, 'blobs', 'sha256', hex), data);
  return { mediaType, digest: `sha256:${hex}`, size: data.length, ...extra };
}

function image(arch: string): Descriptor {
  const layer = blob(`layer-${arch}`, MEDIA_TYPES.ociLayer);
  const config = blob(
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
      history: [{ created_by: `build ${arch}` }],
    }),
    MEDIA_TYPES.ociConfig,
  );
  return blob(
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config, layers: [layer] }),
    MEDIA_TYPES.ociManifest,
  );
}

function index(manifests: Descriptor[]): Descriptor {
  return blob(
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests }),
    MEDIA_TYPES.ociIndex,
  );
}

function writeIndexJson(manifests: Descriptor[]): void {
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

const tagged = (d: Descriptor, tag: string): Descriptor => ({ ...d, annotations: { [REF_NAME]: tag } });
const platformed = (d: Descriptor, p: string): Descriptor => ({
  ...d,
  platform: parsePlatform(p) as Platform,
});
const open = (tag?: string, platform?: string) =>
  openLayoutImage(
    directoryLayout(dir, `oci:${dir}`),
    `oci:${dir}`,
    tag,
    platform ? parsePlatform(platform) : undefined,
  );

async function consume(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('OCI image layout', () => {
  describe('choosing the image', () => {
    it('takes the only image when no tag is given', async () => {
      writeIndexJson([image('amd64')]);
      expect((await open()).config.architecture).toBe('amd64');
    });

    it('selects by org.opencontainers.image.ref.name', async () => {
      writeIndexJson([tagged(image('amd64'), 'a'), tagged(image('arm64'), 'b')]);
      expect((await open('b')).config.architecture).toBe('arm64');
    });

    it('lists the tags when several images are tagged and none is asked for', async () => {
      writeIndexJson([tagged(image('amd64'), 'zeta'), tagged(image('arm64'), 'alpha')]);
      await expect(open()).rejects.toMatchObject({
        code: 'MANIFEST_UNKNOWN',
        message: expect.stringContaining('pick one with :TAG (tags: alpha, zeta)'),
      });
      await expect(open('nope')).rejects.toMatchObject({
        code: 'MANIFEST_UNKNOWN',
        message: expect.stringContaining('"nope"'),
      });
    });

    it('picks by platform among untagged platform manifests', async () => {
      writeIndexJson([platformed(image('amd64'), 'linux/amd64'), platformed(image('arm64'), 'linux/arm64')]);
      expect((await open(undefined, 'linux/arm64')).config.architecture).toBe('arm64');
    });

    it('descends through nested indexes to the platform manifest', async () => {
      const inner = index([
        platformed(image('amd64'), 'linux/amd64'),
        platformed(image('arm64'), 'linux/arm64'),
      ]);
      const outer = index([inner]);
      writeIndexJson([tagged(outer, 'multi')]);
      const h = await open('multi', 'linux/arm64');
      expect(h.config.architecture).toBe('arm64');
      expect(h.indexDigest).toBe(outer.digest);
      expect(h.layers[0]?.createdBy).toBe('build arm64');
    });
  });

  describe('verification', () => {
    it('a manifest blob that does not match its digest is DIGEST_MISMATCH', async () => {
      const m = image('amd64');
      writeFileSync(join(dir, 'blobs', 'sha256', m.digest.slice(7)), Buffer.alloc(m.size, 0x20));
      writeIndexJson([m]);
      await expect(open()).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    });

    it('a layer that does not match fails on its stream', async () => {
      const m = image('amd64');
      writeIndexJson([m]);
      const h = await open();
      writeFileSync(join(dir, 'blobs', 'sha256', h.layers[0]!.digest.slice(7)), 'layer-arm64');
      const content = await h.openLayer(0);
      if (content.kind !== 'tar') throw new Error('tar expected');
      await expect(consume(content.stream)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    });

    it('a missing blob is NOT_FOUND naming the digest', async () => {
      const m = image('amd64');
      rmSync(join(dir, 'blobs', 'sha256', m.digest.slice(7)));
      writeIndexJson([m]);
      await expect(open()).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringContaining(m.digest),
      });
    });

    it('an aborted scan ends the layer stream with CANCELLED', async () => {
      writeIndexJson([image('amd64')]);
      const h = await open();
      const ac = new AbortController();
      const content = await h.openLayer(0, ac.signal);
      if (content.kind !== 'tar') throw new Error('tar expected');
      ac.abort();
      await expect(consume(content.stream)).rejects.toMatchObject({ code: 'CANCELLED' });
      await expect(h.openLayer(0, ac.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    });

    it('an oci-layout marker that is not a JSON object is INVALID_ARCHIVE, named', async () => {
      writeFileSync(join(dir, 'oci-layout'), '"1.0.0"');
      await expect(open()).rejects.toMatchObject({
        code: 'INVALID_ARCHIVE',
        message: expect.stringContaining('oci-layout: (root): expected object, got string'),
      });
    });

    it('a directory without oci-layout is not a layout', async () => {
      rmSync(join(dir, 'oci-layout'));
      await expect(open()).rejects.toMatchObject({ code: 'INVALID_ARCHIVE' });
    });
  });
});
