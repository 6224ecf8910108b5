import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECOMPRESSION_LIMITS, type DecompressionLimits } from '../../core/limits.js';
import { rawHeader } from '../tar/testing/raw-tar.js';
import { fakeImage, makeTar } from './testing/fake-image.js';
import { zstdFrame } from './testing/zstd-frames.js';
import { walkImage } from './walk.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function zstdCli(args: string[], input: Buffer): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', ...args], { input, maxBuffer: 256 * MiB });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr}`);
  return r.stdout;
}

async function names(blobs: Buffer[], limits?: Partial<DecompressionLimits>): Promise<string[]> {
  const seen: string[] = [];
  await walkImage(fakeImage(blobs), {
    analyzers: [
      {
        name: 'test/all',
        version: 1,
        required: (f) => {
          seen.push(f.path);
          return false;
        },
        analyze: async () => ({}),
      },
    ],
    limits: { ...DEFAULT_DECOMPRESSION_LIMITS, ...limits },
  });
  return seen;
}

/** A tar whose one file declares `size` bytes of zeros, as a zstd bomb: 4 bytes per 128 KiB. */
function zstdBomb(size: number): Buffer {
  const header = rawHeader({
    name: 'zeros',
    sizeField: Buffer.from(`${size.toString(8).padStart(11, '0')}\0`),
  });
  return zstdFrame([{ raw: header }, { rle: 0, size }, { rle: 0, size: 1024 }]);
}

describe('layer decompression', () => {
  describe('zstd', () => {
    it.each([
      ['one frame', [] as string[]],
      ['with checksums', ['--check']],
      ['without content size', ['--no-content-size']],
      ['long window', ['--long=24']],
    ])('reads a layer the zstd CLI wrote (%s)', async (_, args) => {
      const tar = await makeTar([
        { name: 'etc/os-release', content: 'ID=debian\n' },
        { name: 'big', content: Buffer.alloc(3 * MiB, 'abc') },
        { name: 'z', content: 'end' },
      ]);
      expect(await names([zstdCli(args, tar)])).toEqual(['etc/os-release', 'big', 'z']);
    });

    it('reads concatenated frames and skippable frames (pzstd writes them)', async () => {
      const tar = await makeTar([
        { name: 'a', content: Buffer.alloc(300_000, 'a') },
        { name: 'b', content: 'b' },
      ]);
      const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4]);
      const blob = Buffer.concat([
        zstdCli([], tar.subarray(0, 1024)),
        skippable,
        zstdFrame([{ raw: tar.subarray(1024, 200_000) }]),
        zstdCli(['--check'], tar.subarray(200_000)),
      ]);
      expect(await names([blob])).toEqual(['a', 'b']);
    });

    it('stops a zstd bomb at the layer limit, block by block, in bounded memory', async () => {
      const bomb = zstdBomb(4 * GiB);
      expect(bomb.length).toBeLessThan(200_000);
      const before = process.memoryUsage().rss;
      const walked = names([bomb], { layerBytes: 256 * MiB });
      await expect(walked).rejects.toMatchObject({ code: 'TOO_LARGE' });
      await expect(walked).rejects.toThrow(
        /^layer sha256:[0-9a-f]{64}: uncompressed layer is over the 256 MiB limit \(STRATA_MAX_LAYER_BYTES\)$/,
      );
      expect(process.memoryUsage().rss - before).toBeLessThan(200 * MiB);
    });

    it.each([
      [
        'a 2 GiB window',
        zstdFrame([{ raw: Buffer.alloc(10) }], { windowLog: 31 }),
        /zstd window of 2147483648 bytes/,
      ],
      [
        'a single-segment frame of 1 TiB',
        Buffer.concat([
          Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0]),
          Buffer.from([0, 0, 0, 0, 0, 1, 0, 0]),
          Buffer.alloc(8),
        ]),
        /zstd window of 1099511627776 bytes/,
      ],
    ])('refuses %s before allocating it', async (_, blob, message) => {
      await expect(names([blob])).rejects.toThrow(message);
    });

    it.each([
      [
        'truncated in a block',
        zstdFrame([{ raw: Buffer.alloc(2048) }]).subarray(0, 1000),
        /truncated compressed data/,
      ],
      [
        'a reserved block type',
        Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0x50, 0x07, 0, 0]),
        /reserved block type/,
      ],
      [
        'a block over 128 KiB',
        Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0x50, 0x03, 0, 0x20]),
        /block larger than 128 KiB/,
      ],
    ])('refuses %s as a corrupt layer', async (_, blob, message) => {
      const walked = names([blob]);
      await expect(walked).rejects.toMatchObject({ code: 'CORRUPT_LAYER' });
      await expect(walked).rejects.toThrow(message);
    });
  });

  describe('budgets', () => {
    it('stops a gzip bomb at the layer limit', async () => {
      const tar = await makeTar([{ name: 'zeros', content: Buffer.alloc(64 * MiB) }]);
      const bomb = gzipSync(tar, { level: 1 });
      await expect(names([bomb], { layerBytes: 8 * MiB })).rejects.toThrow(
        /uncompressed layer is over the 8 MiB limit/,
      );
    });

    it('counts every layer against the image limit', async () => {
      const layer = (n: string) => makeTar([{ name: n, content: Buffer.alloc(6 * MiB, n) }]);
      const blobs = [gzipSync(await layer('a')), await layer('b')];
      expect(await names(blobs, { imageBytes: 13 * MiB })).toEqual(['a', 'b']);
      await expect(names(blobs, { imageBytes: 10 * MiB })).rejects.toThrow(
        /^layer sha256:[0-9a-f]{64}: uncompressed image is over the 10 MiB limit \(STRATA_MAX_IMAGE_BYTES\)$/,
      );
    });
  });
});
