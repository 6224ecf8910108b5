/** Identifies a compressed stream by its magic bytes. */
export type Compression = 'gzip' | 'zstd' | 'bzip2' | 'xz';

export function sniffCompression(head: Uint8Array): Compression | undefined {
  const b = (i: number) => head[i];
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68) return 'bzip2';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a) return 'xz';
  return undefined;
}
