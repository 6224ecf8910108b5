import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzersFor, createSecretAnalyzer, parseSecretConfig } from '../../analyzers/index.js';
import type { Analyzer } from '../../core/analyzer.js';
import { sha256 } from '../../core/digest.js';
import { buildInventory } from '../../scan/inventory.js';
import type { ImageHandle, LayerDescriptor } from '../types.js';
import { type LayerCache, MemoryLayerCache } from './layer-cache.js';
import { openLayerCacheFile } from './layer-cache-file.js';
import {
  analyzerKey,
  decodeLayerRecord,
  encodeLayerRecord,
  LayerRecorder,
  layerCacheKey,
  OP,
} from './layer-record.js';
import { makeTar } from './testing/fake-image.js';
import { type LayerCacheEvent, walkImage } from './walk.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'strata-layer-cache-'));
  dirs.push(d);
  return d;
}

const status = (...pkgs: [string, string][]) =>
  pkgs
    .map(([n, v]) => `Package: ${n}\nStatus: install ok installed\nVersion: ${v}\nArchitecture: amd64\n`)
    .join('\n');
const pkgJson = (name: string, version: string) => JSON.stringify({ name, version });
const AWS =
  'aws_access_key_id = AKIAZ5GMHYJKQWERTYUI\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYzz\n';

/** An image as a registry serves it: gzip blobs, diffIDs of the tars, a config digest. */
function image(
  tars: readonly Buffer[],
  opts: { configDigest?: boolean; lieDiffId?: number } = {},
): ImageHandle {
  const blobs = tars.map((t) => gzipSync(t));
  const layers: LayerDescriptor[] = blobs.map((b, i) => ({
    digest: sha256(b),
    diffId: opts.lieDiffId === i ? sha256(Buffer.from('another layer')) : sha256(tars[i]!),
    size: b.length,
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  }));
  let opened = 0;
  return {
    name: 'test',
    config: {},
    ...(opts.configDigest === false
      ? {}
      : { configDigest: sha256(Buffer.from(layers.map((l) => l.diffId).join())) }),
    layers,
    openLayer: async (i) => {
      opened++;
      return { kind: 'tar', stream: Readable.from([blobs[i]!]) };
    },
    close: async () => {},
    get opened() {
      return opened;
    },
  } as ImageHandle;
}

const ANALYZERS: Analyzer[] = analyzersFor(['os', 'lang', 'secret']);

async function walk(img: ImageHandle, cache?: LayerCache, analyzers = ANALYZERS) {
  const events: string[] = [];
  const out = await walkImage(img, {
    analyzers,
    ...(cache
      ? { cache, onCache: (i: number, _l: unknown, e: LayerCacheEvent) => events.push(`${i}:${e.outcome}`) }
      : {}),
  });
  const layers = img.layers.map((l) => ({ digest: l.digest, diffId: l.diffId, size: l.size }));
  // the whole outcome: what buildInventory makes of the files, plus the raw walk
  return { out, inventory: buildInventory(out.files, layers), events };
}

/** Layers that exercise every op: whiteouts, opaque dirs, hardlinks within and across layers, replacements. */
async function layers() {
  const base = await makeTar([
    { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
    { name: 'var/lib/dpkg/status', content: status(['libc6', '2.36-9'], ['zlib1g', '1.2.13']) },
    { name: 'app/node_modules/left-pad/package.json', content: pkgJson('left-pad', '1.3.0') },
    { name: 'app/node_modules/gone/package.json', content: pkgJson('gone', '1.0.0') },
    { name: 'app/node_modules/opq/x/package.json', content: pkgJson('x', '2.0.0') },
    { name: 'app/node_modules/to-link/package.json', content: pkgJson('to-link', '3.0.0') },
    { name: 'app/node_modules/dir-over/package.json', content: pkgJson('dir-over', '1.0.0') },
    { name: 'srv/.env', content: AWS },
    { name: 'usr/bin', type: 'directory' },
    { name: 'usr/bin/sh', type: 'symlink', linkname: 'dash' },
  ]);
  const upper = await makeTar([
    // deletions
    { name: 'app/node_modules/gone/.wh.package.json', content: '' },
    { name: 'app/node_modules/opq/.wh..wh..opq', content: '' },
    { name: 'app/node_modules/opq/y/package.json', content: pkgJson('y', '1.0.0') },
    // a hardlink to a file of the layer below, and one to a file of this layer
    {
      name: 'app/node_modules/linked/package.json',
      type: 'link',
      linkname: 'app/node_modules/to-link/package.json',
    },
    { name: 'app/node_modules/fresh/package.json', content: pkgJson('fresh', '0.1.0') },
    {
      name: 'app/node_modules/fresh2/package.json',
      type: 'link',
      linkname: 'app/node_modules/fresh/package.json',
    },
    // replacements: a symlink over a tracked file, a directory over a tracked file
    { name: 'app/node_modules/left-pad/package.json', type: 'symlink', linkname: '/dev/null' },
    { name: 'app/node_modules/dir-over/package.json', type: 'directory' },
    // an upgrade and a secret deleted later
    { name: 'var/lib/dpkg/status', content: status(['libc6', '2.36-9+deb12u1'], ['zlib1g', '1.2.13']) },
    { name: 'tmp/key.pem', content: AWS },
  ]);
  const top = await makeTar([{ name: 'tmp/.wh.key.pem', content: '' }]);
  return { base, upper, top };
}

describe('layer cache', () => {
  describe('key', () => {
    it('is the diffID plus a digest of each analyzer name, version, scope, size cap and config, in order', () => {
      const a: Analyzer = { name: 'x/a', version: 1, required: () => false, analyze: async () => ({}) };
      const b: Analyzer = { ...a, name: 'x/b' };
      const base = analyzerKey([a, b]);
      expect(analyzerKey([a, b])).toBe(base);
      expect(analyzerKey([{ ...a, version: 2 }, b])).not.toBe(base);
      expect(analyzerKey([b, a])).not.toBe(base);
      expect(analyzerKey([a])).not.toBe(base);
      expect(analyzerKey([{ ...a, maxFileSize: 10 }, b])).not.toBe(base);
      expect(analyzerKey([{ ...a, scope: 'every-layer' }, b])).not.toBe(base);
      expect(analyzerKey([{ ...a, cacheKey: 'c1' }, b])).not.toBe(base);
      const diffId = sha256(Buffer.from('x'));
      expect(layerCacheKey(diffId, base)).toBe(`${diffId}/${base}`);
    });

    it('changes with the secret rules: custom rules, disabled rules, the size cap', () => {
      const builtin = createSecretAnalyzer();
      expect(createSecretAnalyzer().cacheKey).toBe(builtin.cacheKey);
      const custom = parseSecretConfig(
        'rules:\n  - id: acme\n    category: Acme\n    title: Acme key\n    severity: HIGH\n    regex: "acme_[a-z0-9]{16}"\n',
        'secret.yaml',
      );
      const other = parseSecretConfig(
        'rules:\n  - id: acme\n    category: Acme\n    title: Acme key\n    severity: HIGH\n    regex: "acme_[a-z0-9]{17}"\n',
        'secret.yaml',
      );
      const keys = [
        builtin.cacheKey,
        createSecretAnalyzer(custom).cacheKey,
        createSecretAnalyzer(other).cacheKey,
        createSecretAnalyzer({ disableRules: ['aws-access-key-id'] }).cacheKey,
        createSecretAnalyzer({ maxFileSize: 1000 }).cacheKey,
      ];
      expect(new Set(keys).size).toBe(keys.length);
      expect(analyzerKey([createSecretAnalyzer(custom)])).not.toBe(analyzerKey([builtin]));
    });
  });

  describe('replay', () => {
    it('gives exactly what a fresh walk gives: whiteouts, opaque dirs, hardlinks across layers, replacements, secrets', async () => {
      const { base, upper, top } = await layers();
      const img = () => image([base, upper, top]);
      const fresh = await walk(img());
      // the fixture means something: each op kind changed the outcome
      expect(fresh.out.files.map((f) => `${f.path}:${f.versions.length}`)).toEqual([
        'app/node_modules/fresh/package.json:1',
        'app/node_modules/fresh2/package.json:1', // a hardlink within the layer
        'app/node_modules/linked/package.json:1', // a hardlink to the layer below
        'app/node_modules/to-link/package.json:1',
        'etc/os-release:1',
        'var/lib/dpkg/status:2',
      ]);
      expect(fresh.inventory.packages.map((p) => `${p.name}@${p.version}`)).toEqual([
        'libc6@2.36-9+deb12u1',
        'zlib1g@1.2.13',
        'fresh@0.1.0',
        'to-link@3.0.0',
      ]);
      // a secret in a file a later layer deleted is still found
      expect(new Set(fresh.out.layerFindings.map((f) => f.location.path))).toEqual(
        new Set(['srv/.env', 'tmp/key.pem']),
      );

      const cache = new MemoryLayerCache();
      const cold = await walk(img(), cache);
      expect(cold.events).toEqual(['0:miss', '0:stored', '1:miss', '1:stored', '2:miss', '2:stored']);
      const warmImage = img();
      const warm = await walk(warmImage, cache);
      expect(warm.events).toEqual(['0:hit', '1:hit', '2:hit']);
      expect((warmImage as unknown as { opened: number }).opened).toBe(0);
      for (const run of [cold, warm]) {
        expect(run.out).toEqual(fresh.out);
        expect(run.inventory).toEqual(fresh.inventory);
        expect(JSON.stringify(run.inventory)).toBe(JSON.stringify(fresh.inventory));
        expect(JSON.stringify(run.out.layerFindings)).toBe(JSON.stringify(fresh.out.layerFindings));
      }
    });

    it('decides again from the layers below: a cached upper layer over another base', async () => {
      const { base, upper } = await layers();
      const cache = new MemoryLayerCache();
      await walk(image([base, upper]), cache);
      // the same upper layer (same diffID) over a base where its symlink, dir and hardlink meet nothing
      const otherBase = await makeTar([
        { name: 'app/node_modules/to-link/package.json', content: pkgJson('to-link', '9.9.9') },
        { name: 'app/node_modules/left-pad', type: 'directory' },
      ]);
      const fresh = await walk(image([otherBase, upper]));
      const replayed = await walk(image([otherBase, upper]), cache);
      expect(replayed.events).toEqual(['0:miss', '0:stored', '1:hit']);
      expect(replayed.out).toEqual(fresh.out);
      expect(replayed.inventory).toEqual(fresh.inventory);
      expect(fresh.inventory.packages.find((p) => p.name === 'to-link')?.version).toBe('9.9.9');
    });

    it('sets the layer of replayed findings to the blob scanned now (one diffID, another compression)', async () => {
      const { base } = await layers();
      const cache = new MemoryLayerCache();
      await walk(image([base]), cache);
      const plain: ImageHandle = { ...image([base]) };
      const tarLayers = [
        {
          ...plain.layers[0]!,
          digest: plain.layers[0]!.diffId,
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
        },
      ];
      const uncompressed: ImageHandle = {
        ...plain,
        layers: tarLayers,
        openLayer: async () => ({ kind: 'tar', stream: Readable.from([base]) }),
      };
      const fresh = await walk(uncompressed);
      const replayed = await walk(uncompressed, cache);
      expect(replayed.events).toEqual(['0:hit']);
      expect(replayed.out).toEqual(fresh.out);
      expect(replayed.out.layerFindings[0]?.location.layer).toBe(tarLayers[0]!.digest);
    });

    it('keys by the analyzer set: other analyzers or other secret rules miss', async () => {
      const { base } = await layers();
      const cache = new MemoryLayerCache();
      await walk(image([base]), cache);
      const noSecrets = await walk(image([base]), cache, analyzersFor(['os', 'lang']));
      expect(noSecrets.events).toEqual(['0:miss', '0:stored']);
      expect(noSecrets.out.layerFindings).toEqual([]);
      const custom = [
        ...analyzersFor(['os', 'lang']),
        createSecretAnalyzer({ disableRules: ['aws-access-key-id'] }),
      ];
      expect((await walk(image([base]), cache, custom)).events).toEqual(['0:miss', '0:stored']);
      expect((await walk(image([base]), cache)).events).toEqual(['0:hit']);
    });
  });

  describe('what is never cached', () => {
    it('an image without config diffIDs: not looked up, not stored', async () => {
      const { base } = await layers();
      const cache = new MemoryLayerCache();
      const run = await walk(image([base], { configDigest: false }), cache);
      expect(run.events).toEqual(['0:uncacheable']);
      expect((await cache.stats()).entries).toBe(0);
    });

    it('a layer whose bytes do not hash to its diffID: walked, reported, not stored', async () => {
      const { base, upper } = await layers();
      const cache = new MemoryLayerCache();
      const run = await walk(image([base, upper], { lieDiffId: 1 }), cache);
      expect(run.events).toEqual(['0:miss', '0:stored', '1:miss', '1:not-stored']);
      expect((await cache.stats()).entries).toBe(1);
    });

    it('a layer that fails: nothing stored, the error surfaces', async () => {
      const cache = new MemoryLayerCache();
      const broken = image([await makeTar([{ name: 'a', content: 'x' }])]);
      const bad: ImageHandle = {
        ...broken,
        openLayer: async () => ({
          kind: 'tar',
          stream: Readable.from([Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3])]),
        }),
      };
      await expect(walk(bad, cache)).rejects.toMatchObject({ code: 'CORRUPT_LAYER' });
      expect((await cache.stats()).entries).toBe(0);
    });
  });

  describe('a corrupt entry', () => {
    it.each([
      ['a flipped bit', (b: Buffer) => Buffer.from(b.map((x, i) => (i === b.length - 3 ? x ^ 1 : x)))],
      ['a truncated entry', (b: Buffer) => b.subarray(0, b.length >> 1)],
      ['another format', (b: Buffer) => Buffer.concat([b.subarray(0, 4), Buffer.from([99]), b.subarray(5)])],
      ['not an entry at all', () => Buffer.from('hello')],
    ])('%s is a miss, walked again, rewritten; the result is the same', async (_, damage) => {
      const { base, upper } = await layers();
      const fresh = await walk(image([base, upper]));
      const cache = new MemoryLayerCache();
      await walk(image([base, upper]), cache);
      const key = layerCacheKey(image([base]).layers[0]!.diffId, analyzerKey(ANALYZERS));
      const good = Buffer.from((await cache.get(key))!);
      await cache.put(key, 'x', damage(good));
      const again = await walk(image([base, upper]), cache);
      expect(again.events).toEqual(['0:corrupt', '0:stored', '1:hit']);
      expect(again.out).toEqual(fresh.out);
      expect(decodeLayerRecord((await cache.get(key))!)).toBeDefined();
      expect((await walk(image([base, upper]), cache)).events).toEqual(['0:hit', '1:hit']);
    });

    it('a record of the wrong shape is refused by decode', () => {
      const rec = new LayerRecorder();
      rec.push(OP.ADD, 'a', 'not a map');
      expect(() => decodeLayerRecord(encodeLayerRecord(rec.finish([], [], 0)))).toThrow(/malformed entry/);
      // a damaged SQLite row can come back as TEXT
      expect(() => decodeLayerRecord('text' as unknown as Uint8Array)).toThrow(/not a binary value/);
    });

    it('a cache that throws is a miss and a failed write, never a failed scan', async () => {
      const { base } = await layers();
      const fresh = await walk(image([base]));
      const failing: LayerCache = {
        kind: 'broken',
        get: async () => {
          throw new Error('database is locked');
        },
        put: async () => {
          throw new Error('disk full');
        },
        clear: async () => 0,
        stats: async () => ({ entries: 0, bytes: 0 }),
        close: async () => {},
      };
      const run = await walk(image([base]), failing);
      expect(run.events).toEqual(['0:corrupt', '0:not-stored']);
      expect(run.out).toEqual(fresh.out);
    });
  });

  describe.each([
    [
      'memory',
      async (limits: { maxEntryBytes: number; maxTotalBytes: number }) => new MemoryLayerCache(limits),
    ],
    [
      'sqlite',
      (limits: { maxEntryBytes: number; maxTotalBytes: number }) =>
        openLayerCacheFile(join(tempDir(), 'layers.db'), limits),
    ],
  ])('bounds (%s)', (_, open) => {
    const diff = sha256(Buffer.from('d'));
    it('refuses an entry over the entry cap', async () => {
      const cache = await open({ maxEntryBytes: 10, maxTotalBytes: 100 });
      expect(await cache.put('big', diff, Buffer.alloc(11))).toBe(false);
      expect(await cache.put('ok', diff, Buffer.alloc(10))).toBe(true);
      expect(await cache.stats()).toEqual({ entries: 1, bytes: 10 });
      await cache.close();
    });

    it('evicts the least recently used entries past the total cap', async () => {
      const cache = await open({ maxEntryBytes: 40, maxTotalBytes: 100 });
      for (const k of ['a', 'b', 'c']) await cache.put(k, diff, Buffer.alloc(30, k));
      await cache.get('a'); // a is now the most recently used
      await cache.put('d', diff, Buffer.alloc(30, 'd'));
      expect(await cache.get('b')).toBeUndefined();
      expect(Buffer.from((await cache.get('a'))!).toString()).toBe('a'.repeat(30));
      expect(await cache.get('c')).toBeDefined();
      expect(await cache.get('d')).toBeDefined();
      expect(await cache.stats()).toEqual({ entries: 3, bytes: 90 });
      await cache.put('e', diff, Buffer.alloc(40, 'e'));
      expect((await cache.stats()).bytes).toBeLessThanOrEqual(100);
      expect(await cache.get('e')).toBeDefined();
      expect(await cache.clear()).toBeGreaterThan(0);
      expect(await cache.stats()).toEqual({ entries: 0, bytes: 0 });
      await cache.close();
    });
  });

  it('two writers of one file and one key leave one row; each reads the other', async () => {
    const file = join(tempDir(), 'layers.db');
    const [a, b] = await Promise.all([openLayerCacheFile(file), openLayerCacheFile(file)]);
    const diff = sha256(Buffer.from('d'));
    await Promise.all([a.put('k', diff, Buffer.from('one')), b.put('k', diff, Buffer.from('one'))]);
    expect(await a.stats()).toEqual({ entries: 1, bytes: 3 });
    await b.put('j', diff, Buffer.from('two'));
    expect(Buffer.from((await a.get('j'))!).toString()).toBe('two');
    await a.close();
    await b.close();
  });

  it('a file that is not a database is refused when opened (the scan then runs without a cache)', async () => {
    const file = join(tempDir(), 'layers.db');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'this is not sqlite at all, just text long enough to be read as a header.......');
    await expect(openLayerCacheFile(file)).rejects.toThrow();
  });
});

describe('layer recorder', () => {
  it('stops keeping ops past its path budget, so a layer of millions of entries is not held twice', () => {
    const rec = new LayerRecorder(100);
    for (let i = 0; i < 5; i++) rec.push(OP.SHADOW, `some/path/${i}`);
    expect(rec.overflowed).toBe(false);
    for (let i = 0; i < 10; i++) rec.push(OP.SHADOW, `some/path/${i}`);
    expect(rec.overflowed).toBe(true);
    expect(rec.finish([], [], 0).paths).toEqual([]);
  });
});
