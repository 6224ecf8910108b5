import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ImageHandle,
  type ImageTarget,
  MEDIA_TYPES,
  openImage,
  parseImageTarget,
  parsePlatform,
  parseReference,
  RegistryClient,
} from '../../src/image/index.js';
import {
  addIndex,
  type BuiltImage,
  buildImage,
  freePort,
  type RunningRegistry,
  skopeoCopy,
  startRegistry,
} from '../support/registry.js';

let registry: RunningRegistry;
let work: string;
let layout: string;
let app: BuiltImage;
let arm: BuiltImage;
const handles: ImageHandle[] = [];

async function open(target: ImageTarget | string, options = {}): Promise<ImageHandle> {
  const t = typeof target === 'string' ? parseImageTarget(target) : target;
  const h = await openImage(t, { insecure: true, ...options });
  handles.push(h);
  return h;
}

async function consume(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

async function layerBytes(h: ImageHandle, i: number): Promise<Buffer> {
  const content = await h.openLayer(i);
  if (content.kind !== 'tar') throw new Error('expected a tar layer');
  return consume(content.stream);
}

/** The regular files of a layer tar; fails on a malformed tar (as tar-stream parses it). */
async function tarFiles(tar: Buffer): Promise<string[]> {
  const names: string[] = [];
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      if (entry.header.type === 'file') names.push(entry.header.name.replace(/^\.?\//, ''));
      entry.resume();
    }
  })();
  ex.end(tar);
  await done;
  return names;
}

const asTar = (blob: Buffer) => (blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob);
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

beforeAll(() => {
  return (async () => {
    registry = await startRegistry();
    work = mkdtempSync(join(tmpdir(), 'strata-image-sources-'));
    layout = join(work, 'layout');
    app = buildImage(layout, 'v1', {
      layers: [
        { files: { 'etc/os-release': 'ID=strata-test\n' }, createdBy: 'ADD os-release /etc/' },
        { files: { 'app/hello.txt': 'hello from layer two\n' }, createdBy: 'COPY hello.txt /app/' },
      ],
    });
    arm = buildImage(layout, 'arm', {
      architecture: 'arm64',
      layers: [{ files: { 'etc/arch': 'arm64\n' }, createdBy: 'ADD arch /etc/' }],
    });
    addIndex(layout, 'multi', [
      { image: app, platform: { os: 'linux', architecture: 'amd64' } },
      { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ]);
    const reg = `docker://${registry.host}`;
    await skopeoCopy(`oci:${layout}:v1`, `docker-archive:${join(work, 'app.tar')}:strata/app:v1`);
    await skopeoCopy(`oci:${layout}:v1`, `oci-archive:${join(work, 'app-oci.tar')}:v1`);
    await skopeoCopy(`oci:${layout}:v1`, `${reg}/strata/app:v2s2`, { format: 'v2s2' });
    await skopeoCopy(`oci:${layout}:v1`, `${reg}/strata/app:oci`, { format: 'oci' });
    await skopeoCopy(`oci:${layout}:multi`, `${reg}/strata/multi:1`, { all: true });
  })();
});

afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('image sources', () => {
  describe('when the same image is opened from every source form', () => {
    const forms = () => ({
      'docker-archive': `docker-archive:${join(work, 'app.tar')}`,
      'oci-archive': `oci-archive:${join(work, 'app-oci.tar')}`,
      'oci layout with tag': `oci:${layout}:v1`,
      'registry (Docker v2 schema 2)': `${registry.host}/strata/app:v2s2`,
      'registry (OCI manifest)': `${registry.host}/strata/app:oci`,
    });
    it.each([
      'docker-archive',
      'oci-archive',
      'oci layout with tag',
      'registry (Docker v2 schema 2)',
      'registry (OCI manifest)',
    ] as const)('%s gives the config, diffIds and createdBy umoci wrote', async (form) => {
      const h = await open(forms()[form]);
      expect(h.config.architecture).toBe('amd64');
      expect(h.config.config?.Cmd).toEqual(['/bin/true']);
      expect(h.layers.map((l) => l.diffId)).toEqual(app.diffIds);
      expect(h.layers.map((l) => l.createdBy)).toEqual(['ADD os-release /etc/', 'COPY hello.txt /app/']);
      expect(sha(h.rawConfig!)).toBe(h.configDigest);
    });

    it.each([
      'docker-archive',
      'oci-archive',
      'oci layout with tag',
      'registry (Docker v2 schema 2)',
      'registry (OCI manifest)',
    ] as const)('%s streams each layer whole, matching its digest and diffId', async (form) => {
      const h = await open(forms()[form]);
      for (const [i, layer] of h.layers.entries()) {
        const blob = await layerBytes(h, i);
        expect(blob.length).toBe(layer.size);
        expect(sha(blob)).toBe(layer.digest);
        expect(sha(asTar(blob))).toBe(layer.diffId);
      }
      expect(await tarFiles(asTar(await layerBytes(h, 0)))).toContain('etc/os-release');
      expect(await tarFiles(asTar(await layerBytes(h, 1)))).toContain('app/hello.txt');
    });

    it('the OCI forms keep the manifest and layer digests; docker-archive layers are the uncompressed tars', async () => {
      for (const form of ['oci-archive', 'oci layout with tag', 'registry (OCI manifest)'] as const) {
        const h = await open(forms()[form]);
        expect(h.digest).toBe(app.manifestDigest);
        expect(h.layers.map((l) => l.digest)).toEqual(app.layerDigests);
      }
      const archive = await open(forms()['docker-archive']);
      expect(archive.layers.map((l) => l.digest)).toEqual(app.diffIds);
      expect(archive.layers.every((l) => l.mediaType === MEDIA_TYPES.dockerLayerTar)).toBe(true);
      const v2 = await open(forms()['registry (Docker v2 schema 2)']);
      expect(v2.manifestMediaType).toBe(MEDIA_TYPES.dockerManifest);
      expect(v2.repository).toBe(`${registry.host}/strata/app`);
    });
  });

  describe('when the image is multi-platform', () => {
    it.each([
      ['registry', () => `${registry.host}/strata/multi:1`],
      ['oci layout', () => `oci:${layout}:multi`],
    ])('%s picks linux/amd64 by default and linux/arm64 on request', async (_name, target) => {
      const amd = await open(target());
      expect(amd.digest).toBe(app.manifestDigest);
      expect(amd.indexDigest).toMatch(/^sha256:/);
      const a64 = await open(target(), { platform: parsePlatform('linux/arm64') });
      expect(a64.digest).toBe(arm.manifestDigest);
      expect(a64.config.architecture).toBe('arm64');
      expect(a64.layers.map((l) => l.createdBy)).toEqual(['ADD arch /etc/']);
    });

    it('names the available platforms when the wanted one is missing', async () => {
      await expect(
        open(`${registry.host}/strata/multi:1`, { platform: parsePlatform('linux/s390x') }),
      ).rejects.toMatchObject({
        code: 'PLATFORM_NOT_FOUND',
        message: expect.stringContaining('available: linux/amd64, linux/arm64/v8'),
      });
    });
  });

  describe('when an OCI layout holds several images', () => {
    it('refuses to guess without a tag and lists the tags', async () => {
      await expect(open({ kind: 'oci', dir: layout })).rejects.toMatchObject({
        code: 'MANIFEST_UNKNOWN',
        message: expect.stringContaining('tags: arm, multi, v1'),
      });
    });
    it('reports an unknown tag', async () => {
      await expect(open(`oci:${layout}:nope`)).rejects.toMatchObject({ code: 'MANIFEST_UNKNOWN' });
    });
  });

  describe('when the target is a bare path', () => {
    it.each([
      ['a docker save tar', () => join(work, 'app.tar'), 'docker-archive'],
      ['an OCI archive', () => join(work, 'app-oci.tar'), 'oci-archive'],
      ['an OCI layout directory', () => layout, 'oci'],
      ['any other directory', () => join(work), 'dir'],
    ])('recognises %s by its content', (_name, path, kind) => {
      expect(parseImageTarget(path()).kind).toBe(kind);
    });

    it('rejects a gzip-compressed archive with a clear error', async () => {
      const gz = join(work, 'app.tar.gz');
      writeFileSync(gz, gzipSync(readFileSync(join(work, 'app.tar'))));
      expect(() => parseImageTarget(gz)).toThrow(/gzip-compressed; decompress it first/);
      await expect(open({ kind: 'docker-archive', path: gz })).rejects.toMatchObject({
        code: 'INVALID_ARCHIVE',
      });
    });
  });

  describe('when the target is a root filesystem directory', () => {
    it('is one dir layer with a synthetic digest', async () => {
      const root = join(work, 'rootfs');
      mkdirSync(join(root, 'etc'), { recursive: true });
      writeFileSync(join(root, 'etc', 'os-release'), 'ID=debian\n');
      const h = await open(`dir:${root}`);
      expect(h.layers).toHaveLength(1);
      expect(h.layers[0]!.digest).toBe(sha(Buffer.from(root)));
      expect(await h.openLayer(0)).toEqual({ kind: 'dir', root });
    });
  });

  describe('when the registry or its content is wrong', () => {
    it('a missing tag is MANIFEST_UNKNOWN naming the reference', async () => {
      await expect(open(`${registry.host}/strata/app:missing`)).rejects.toMatchObject({
        code: 'MANIFEST_UNKNOWN',
        message: expect.stringContaining(`${registry.host}/strata/app:missing`),
      });
    });

    it('a blob whose content lies fails with DIGEST_MISMATCH when its stream is consumed', async () => {
      const corrupt = buildImage(layout, 'corrupt', {
        layers: [{ files: { 'only/here.txt': 'a layer no other image shares\n' }, createdBy: 'ADD here' }],
      });
      await skopeoCopy(`oci:${layout}:corrupt`, `docker://${registry.host}/strata/corrupt:1`, {
        format: 'oci',
      });
      const hex = corrupt.layerDigests[0]!.slice('sha256:'.length);
      const data = join(registry.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
      expect(existsSync(data)).toBe(true);
      const bytes = readFileSync(data);
      bytes[bytes.length - 1]! ^= 0xff;
      writeFileSync(data, bytes);
      const h = await open(`${registry.host}/strata/corrupt:1`);
      await expect(layerBytes(h, 0)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    });

    it('a manifest that is not JSON is INVALID_MANIFEST; a lying Docker-Content-Digest is DIGEST_MISMATCH', async () => {
      const proxy = await startProxy(registry.url);
      try {
        await expect(open(`${proxy.host}/strata/app:not-json`)).rejects.toMatchObject({
          code: 'INVALID_MANIFEST',
        });
        await expect(open(`${proxy.host}/strata/app:lying`)).rejects.toMatchObject({
          code: 'DIGEST_MISMATCH',
        });
        // the proxy passes everything else through
        expect((await open(`${proxy.host}/strata/app:oci`)).digest).toBe(app.manifestDigest);
      } finally {
        await proxy.stop();
      }
    });

    it('an unreachable registry is UNREACHABLE, quickly', async () => {
      const port = await freePort();
      const started = Date.now();
      await expect(open(`127.0.0.1:${port}/strata/app:1`)).rejects.toMatchObject({ code: 'UNREACHABLE' });
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });

  describe('RegistryClient (push, tags, referrers)', () => {
    const client = () => new RegistryClient({ insecure: true });
    const repo = () => ({ registry: registry.host, repository: 'strata/pushed' });

    async function pushImage(layerMediaType: string, tag: string): Promise<string> {
      const layerTar = Buffer.alloc(1024); // two zero blocks: an empty tar
      const layerDesc = await client().putBlob(repo(), layerTar);
      const config = Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          rootfs: { type: 'layers', diff_ids: [sha(layerTar)] },
          history: [{ created_by: 'pushed by RegistryClient' }],
        }),
      );
      const configDesc = await client().putBlob(repo(), config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          config: { ...configDesc, mediaType: MEDIA_TYPES.ociConfig },
          layers: [{ ...layerDesc, mediaType: layerMediaType }],
        }),
      );
      return client().putManifest({ ...repo(), tag }, manifest, MEDIA_TYPES.ociManifest);
    }

    it('pushes a blob and a manifest that then open and stream like any image', async () => {
      const digest = await pushImage(MEDIA_TYPES.ociLayer, 'pushed');
      const h = await open(`${registry.host}/strata/pushed:pushed`);
      expect(h.digest).toBe(digest);
      expect(h.layers.map((l) => l.createdBy)).toEqual(['pushed by RegistryClient']);
      expect((await layerBytes(h, 0)).length).toBe(1024);
      expect(await client().listTags(repo())).toContain('pushed');
      const got = await client().getManifest(parseReference(`${registry.host}/strata/pushed@${digest}`));
      expect(got.digest).toBe(digest);
      expect(got.mediaType).toBe(MEDIA_TYPES.ociManifest);
    });

    it('an image whose layer is not a filesystem layer is UNSUPPORTED_MEDIA_TYPE', async () => {
      await pushImage('application/vnd.example.not-a-layer', 'odd');
      await expect(open(`${registry.host}/strata/pushed:odd`)).rejects.toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    });

    it('finds referrers through the fallback tag when the registry has no referrers API', async () => {
      const subject = await pushImage(MEDIA_TYPES.ociLayer, 'subject');
      const artifactType = 'application/vnd.dev.cosign.artifact.sig.v1+json';
      const empty = await client().putBlob(repo(), Buffer.from('{}'));
      const payload = await client().putBlob(repo(), Buffer.from('{"critical":{}}'));
      const sigManifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          artifactType,
          config: { ...empty, mediaType: MEDIA_TYPES.ociEmpty },
          layers: [{ ...payload, mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json' }],
          subject: { mediaType: MEDIA_TYPES.ociManifest, digest: subject, size: 1 },
        }),
      );
      const sigDigest = await client().putManifest(
        { ...repo(), tag: 'sig' },
        sigManifest,
        MEDIA_TYPES.ociManifest,
      );
      const sig = {
        mediaType: MEDIA_TYPES.ociManifest,
        digest: sigDigest,
        size: sigManifest.length,
        artifactType,
      };
      const index = Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [sig] }),
      );
      expect(await client().referrers(repo(), subject)).toEqual([]);
      await client().putManifest({ ...repo(), tag: subject.replace(':', '-') }, index, MEDIA_TYPES.ociIndex);
      expect(await client().referrers(repo(), subject)).toEqual([sig]);
      expect(await client().referrers(repo(), subject, 'application/other')).toEqual([]);
    });
  });
});

/** A pass-through proxy to the registry that serves two broken manifests of its own. */
async function startProxy(upstream: string): Promise<{ host: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url?.endsWith('/manifests/not-json')) {
      res.writeHead(200, { 'content-type': MEDIA_TYPES.ociManifest });
      res.end('this is not json');
      return;
    }
    if (req.url?.endsWith('/manifests/lying')) {
      res.writeHead(200, {
        'content-type': MEDIA_TYPES.ociManifest,
        'docker-content-digest': sha(Buffer.from('x')),
      });
      res.end(JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
      return;
    }
    const up = http.request(
      new URL(req.url ?? '/', upstream),
      { method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
