/**
 * Hand-made zstd frames (RFC 8878) of raw and RLE blocks, for tests: no zstd encoder is needed to
 * build a valid stream, a bomb (4 bytes of RLE block regenerate 128 KiB) or a lying frame header.
 */
export type ZstdPart = { readonly raw: Buffer } | { readonly rle: number; readonly size: number };

const BLOCK_MAX = 128 * 1024;

function blockHeader(last: boolean, type: number, size: number): Buffer {
  const b = Buffer.alloc(3);
  b.writeUIntLE((size << 3) | (type << 1) | (last ? 1 : 0), 0, 3);
  return b;
}

/** One frame; `windowLog` sets the window descriptor (default 20: 1 MiB). */
export function zstdFrame(parts: readonly ZstdPart[], opts: { windowLog?: number } = {}): Buffer {
  const blocks: Buffer[] = [];
  const pieces: ({ raw: Buffer } | { rle: number; size: number })[] = [];
  for (const p of parts) {
    if ('raw' in p) {
      for (let off = 0; off < p.raw.length; off += BLOCK_MAX)
        pieces.push({ raw: p.raw.subarray(off, off + BLOCK_MAX) });
    } else {
      for (let left = p.size; left > 0; left -= BLOCK_MAX)
        pieces.push({ rle: p.rle, size: Math.min(left, BLOCK_MAX) });
    }
  }
  if (pieces.length === 0) pieces.push({ raw: Buffer.alloc(0) });
  pieces.forEach((p, i) => {
    const last = i === pieces.length - 1;
    if ('raw' in p) blocks.push(blockHeader(last, 0, p.raw.length), p.raw);
    else blocks.push(blockHeader(last, 1, p.size), Buffer.from([p.rle]));
  });
  const windowLog = opts.windowLog ?? 20;
  const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (windowLog - 10) << 3]);
  return Buffer.concat([header, ...blocks]);
}
