import { Decompress } from 'fzstd';
import { formatBytes } from '../../core/limits.js';
import { LayerError } from './errors.js';

const MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE = 0x184d2a50;
/** Block_Maximum_Size of RFC 8878: no block holds or regenerates more than 128 KiB */
const BLOCK_MAX = 128 * 1024;

type State =
  | { readonly at: 'frame' }
  | { readonly at: 'block'; readonly checksum: boolean }
  | { readonly at: 'checksum' }
  | { readonly at: 'skip'; remaining: number };

/**
 * Splits a zstd stream at frame-header and block boundaries (RFC 8878), so the decoder is fed one
 * block at a time: each push regenerates at most 128 KiB, and the consumer's pace (backpressure)
 * holds between blocks. fzstd alone decodes a whole input chunk in one call — a chunk of RLE blocks
 * regenerates 32,768 times its size — and allocates whatever window a frame header declares;
 * here a window over the limit is refused before anything is allocated.
 */
export class ZstdBlockSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private state: State = { at: 'frame' };

  constructor(
    private readonly maxWindow: number,
    private readonly what: string,
  ) {}

  private bad(why: string): LayerError {
    return new LayerError('CORRUPT_LAYER', `${this.what}: cannot decompress (zstd: ${why})`);
  }

  /** The complete units (frame headers, blocks, checksums) that `chunk` finishes, in order. */
  *units(chunk: Buffer): Generator<Buffer> {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let off = 0;
    for (;;) {
      const size = this.unitSize(off);
      if (size === undefined || off + size > this.pending.length) break;
      const unit = this.pending.subarray(off, off + size);
      off += size;
      if (this.take(unit)) yield unit;
    }
    this.pending = this.pending.subarray(off);
  }

  /** Throws when the stream stopped inside a frame. */
  end(): void {
    if (this.pending.length > 0 || this.state.at !== 'frame') throw this.bad('truncated compressed data');
  }

  /** How many bytes the next unit needs (undefined: not yet known). */
  private unitSize(off: number): number | undefined {
    const b = this.pending;
    const have = b.length - off;
    switch (this.state.at) {
      case 'frame': {
        if (have < 4) return undefined;
        const magic = b.readUInt32LE(off);
        if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE) return 8;
        if (magic !== MAGIC) throw this.bad('bad frame magic');
        if (have < 5) return undefined;
        const fhd = b[off + 4]!;
        const single = (fhd >> 5) & 1;
        const fcsSize = [single, 2, 4, 8][fhd >> 6]!;
        const dictSize = [0, 1, 2, 4][fhd & 3]!;
        return 5 + (single ? 0 : 1) + dictSize + fcsSize;
      }
      case 'block': {
        if (have < 3) return undefined;
        const header = b.readUIntLE(off, 3);
        const type = (header >> 1) & 3;
        const size = header >>> 3;
        if (type === 3) throw this.bad('reserved block type');
        if (size > BLOCK_MAX) throw this.bad('block larger than 128 KiB');
        return 3 + (type === 1 ? 1 : size);
      }
      case 'checksum':
        return 4;
      case 'skip':
        return Math.min(this.state.remaining, have) || (this.state.remaining === 0 ? 0 : undefined);
    }
  }

  /** Advances the state past `unit`; true when the decoder must see it. */
  private take(unit: Buffer): boolean {
    switch (this.state.at) {
      case 'frame': {
        const magic = unit.readUInt32LE(0);
        if (magic !== MAGIC) {
          this.state = { at: 'skip', remaining: unit.readUInt32LE(4) };
          if (this.state.remaining === 0) this.state = { at: 'frame' };
          return false;
        }
        this.checkWindow(unit);
        this.state = { at: 'block', checksum: ((unit[4]! >> 2) & 1) === 1 };
        return true;
      }
      case 'block': {
        const last = (unit[0]! & 1) === 1;
        if (last) this.state = this.state.checksum ? { at: 'checksum' } : { at: 'frame' };
        return true;
      }
      case 'checksum':
        this.state = { at: 'frame' };
        return true;
      case 'skip':
        this.state.remaining -= unit.length;
        if (this.state.remaining === 0) this.state = { at: 'frame' };
        return false;
    }
  }

  private checkWindow(h: Buffer): void {
    const fhd = h[4]!;
    if (fhd & 0x08) throw this.bad('reserved bit set in the frame header');
    const single = (fhd >> 5) & 1;
    let window: number;
    if (single) {
      // the window is the frame content size
      const fcsFlag = fhd >> 6;
      const at = 5 + [0, 1, 2, 4][fhd & 3]!;
      const fcs =
        fcsFlag === 0
          ? h[at]!
          : fcsFlag === 1
            ? h.readUInt16LE(at) + 256
            : fcsFlag === 2
              ? h.readUInt32LE(at)
              : Number(h.readBigUInt64LE(at));
      window = fcs;
    } else {
      const wd = h[5]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    if (!Number.isSafeInteger(window) || window > this.maxWindow) {
      throw new LayerError(
        'TOO_LARGE',
        `${this.what}: zstd window of ${window} bytes is over the ${formatBytes(this.maxWindow)} limit (STRATA_MAX_ZSTD_WINDOW_BYTES)`,
      );
    }
  }
}

/** Decompresses a zstd stream block by block; the consumer's reads pace it. */
export async function* zstdChunks(
  source: AsyncIterable<Buffer>,
  maxWindow: number,
  what: string,
): AsyncGenerator<Buffer> {
  const out: Buffer[] = [];
  const z = new Decompress((data) => {
    if (data.length) out.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  const splitter = new ZstdBlockSplitter(maxWindow, what);
  for await (const chunk of source) {
    for (const unit of splitter.units(chunk)) {
      z.push(unit);
      while (out.length) yield out.shift()!;
    }
  }
  splitter.end();
  z.push(new Uint8Array(0), true);
  while (out.length) yield out.shift()!;
}
