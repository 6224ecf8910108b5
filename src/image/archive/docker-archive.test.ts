import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../media-types.js';
import { makeTar, type TarSpec } from '../testing/make-tar.js';
import { openDockerArchive } from './docker-archive.js';

const hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-docker-archive-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function consume(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

async function layerTar(file: string, content: string): Promise<Buffer> {
  return makeTar([{ name: file, content }]);
}

function configFor(layers: readonly Buffer[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${hex(l)}`) },
      history: [{ created_by: 'one' }, { created_by: 'meta', empty_layer: true }, { created_by: 'two' }],
    }),
  );
}

async function archive(name: string, entries: TarSpec[]): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await makeTar(entries));
  return path;
}

describe('docker-archive', () => {
  describe('in the legacy docker save layout (<id>/layer.tar, symlinked duplicates)', () => {
    it('gives config, diffIds as digests, createdBy, and verified layer streams', async () => {
      const l1 = await layerTar('etc/a', 'a');
      const l2 = await layerTar('etc/b', 'b');
      const config = configFor([l1, l2]);
      const path = await archive('legacy.tar', [
        { name: `${hex(config)}.json`, content: config },
        { name: 'id1/layer.tar', content: l1 },
        { name: 'id2/layer.tar', type: 'symlink', linkname: `../${hex(l2)}.tar` },
        { name: `${hex(l2)}.tar`, content: l2 },
        {
          name: 'manifest.json',
          content: JSON.stringify([
            { Config: `${hex(config)}.json`, RepoTags: ['x:1'], Layers: ['id1/layer.tar', 'id2/layer.tar'] },
          ]),
        },
      ]);
      const h = await openDockerArchive(path, 'docker-archive:x');
      expect(h.digest).toBeUndefined();
      expect(h.configDigest).toBe(`sha256:${hex(config)}`);
      expect(h.layers).toEqual([
        {
          digest: `sha256:${hex(l1)}`,
          diffId: `sha256:${hex(l1)}`,
          size: l1.length,
          mediaType: MEDIA_TYPES.dockerLayerTar,
          createdBy: 'one',
        },
        {
          digest: `sha256:${hex(l2)}`,
          diffId: `sha256:${hex(l2)}`,
          size: l2.length,
          mediaType: MEDIA_TYPES.dockerLayerTar,
          createdBy: 'two',
        },
      ]);
      const content = await h.openLayer(1);
      expect(content.kind === 'tar' && (await consume(content.stream))).toEqual(l2);
    });
  });

  describe('in the newer layout (blobs/sha256/<hex>, gzip layers)', () => {
    it('takes a gzip layer digest from its file name and verifies it', async () => {
      const raw = await layerTar('etc/a', 'a');
      const gz = gzipSync(raw);
      const config = configFor([raw]);
      const path = await archive('blobs.tar', [
        { name: `blobs/sha256/${hex(config)}`, content: config },
        { name: `blobs/sha256/${hex(gz)}`, content: gz },
        {
          name: 'manifest.json',
          content: JSON.stringify([
            { Config: `blobs/sha256/${hex(config)}`, Layers: [`blobs/sha256/${hex(gz)}`] },
          ]),
        },
      ]);
      const h = await openDockerArchive(path, 'x');
      expect(h.layers[0]).toMatchObject({
        digest: `sha256:${hex(gz)}`,
        diffId: `sha256:${hex(raw)}`,
        mediaType: MEDIA_TYPES.dockerLayer,
      });
      const content = await h.openLayer(0);
      expect(content.kind === 'tar' && (await consume(content.stream))).toEqual(gz);
    });
  });

  describe('in the docker 25+ layout (manifest.json beside an OCI index)', () => {
    it('takes the manifest digest from the OCI index when it names the same config', async () => {
      const raw = await layerTar('etc/a', 'a');
      const config = configFor([raw]);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          config: { mediaType: MEDIA_TYPES.ociConfig, digest: `sha256:${hex(config)}`, size: config.length },
          layers: [{ mediaType: MEDIA_TYPES.ociLayer, digest: `sha256:${hex(raw)}`, size: raw.length }],
        }),
      );
      const ociIndex = {
        schemaVersion: 2,
        manifests: [
          { mediaType: MEDIA_TYPES.ociManifest, digest: `sha256:${hex(manifest)}`, size: manifest.length },
        ],
      };
      const path = await archive('docker25.tar', [
        { name: `blobs/sha256/${hex(config)}`, content: config },
        { name: `blobs/sha256/${hex(raw)}`, content: raw },
        { name: `blobs/sha256/${hex(manifest)}`, content: manifest },
        { name: 'index.json', content: JSON.stringify(ociIndex) },
        { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
        {
          name: 'manifest.json',
          content: JSON.stringify([
            { Config: `blobs/sha256/${hex(config)}`, Layers: [`blobs/sha256/${hex(raw)}`] },
          ]),
        },
      ]);
      const h = await openDockerArchive(path, 'x');
      expect(h.digest).toBe(`sha256:${hex(manifest)}`);
      expect(h.layers[0]?.digest).toBe(`sha256:${hex(raw)}`);
    });
  });

  describe('when the archive lies or is incomplete', () => {
    it('a layer that does not match its diff_id fails on the stream with DIGEST_MISMATCH', async () => {
      const l1 = await layerTar('etc/a', 'a');
      const config = configFor([await layerTar('etc/a', 'DIFFERENT')]);
      const path = await archive('lying-layer.tar', [
        { name: 'c.json', content: config },
        { name: 'l/layer.tar', content: l1 },
        { name: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', Layers: ['l/layer.tar'] }]) },
      ]);
      const h = await openDockerArchive(path, 'x');
      const content = await h.openLayer(0);
      if (content.kind !== 'tar') throw new Error('tar expected');
      await expect(consume(content.stream)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    });

    it('a config whose name is not its digest is DIGEST_MISMATCH', async () => {
      const config = configFor([]);
      const path = await archive('lying-config.tar', [
        { name: `${'0'.repeat(64)}.json`, content: config },
        {
          name: 'manifest.json',
          content: JSON.stringify([{ Config: `${'0'.repeat(64)}.json`, Layers: [] }]),
        },
      ]);
      await expect(openDockerArchive(path, 'x')).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    });

    it.each([
      ['no manifest.json', [{ name: 'x', content: 'y' }], 'manifest.json is missing'],
      ['manifest.json not JSON', [{ name: 'manifest.json', content: '{' }], 'manifest.json: not valid JSON'],
      ['an empty manifest.json', [{ name: 'manifest.json', content: '[]' }], 'expected at least one image'],
      [
        'a layer name that is not a string',
        [{ name: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', Layers: [1] }]) }],
        'manifest.json: [0].Layers[0]: expected string, got number',
      ],
      [
        'a missing layer',
        [
          { name: 'c.json', content: '{}' },
          {
            name: 'manifest.json',
            content: JSON.stringify([{ Config: 'c.json', Layers: ['gone/layer.tar'] }]),
          },
        ],
        'gone/layer.tar is missing',
      ],
      [
        'two images',
        [
          {
            name: 'manifest.json',
            content: JSON.stringify([
              { Config: 'a', Layers: [], RepoTags: ['a:1'] },
              { Config: 'b', Layers: [], RepoTags: ['b:1'] },
            ]),
          },
        ],
        'holds 2 images (a:1, b:1)',
      ],
    ] as [string, TarSpec[], string][])('%s is INVALID_ARCHIVE', async (name, entries, message) => {
      const path = await archive(`${name.replace(/\W/g, '-')}.tar`, entries);
      await expect(openDockerArchive(path, 'x')).rejects.toMatchObject({
        code: 'INVALID_ARCHIVE',
        message: expect.stringContaining(message),
      });
    });
  });
});
