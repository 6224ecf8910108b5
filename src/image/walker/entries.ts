import type { Readable } from 'node:stream';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/**
 * One entry of a layer, whichever way the layer is stored. The walker must either `read` or
 * `skip` every entry before asking for the next one (tar entries are a single stream).
 */
export interface LayerEntry {
  /** as stored (not normalised) */
  readonly name: string;
  readonly kind: EntryKind;
  readonly size: number;
  readonly mode: number;
  /** symlink target, or the hardlink's target entry name */
  readonly linkName?: string;
  read(): Promise<Buffer>;
  skip(): Promise<void>;
}

/** Collects exactly `size` bytes of an entry body into one buffer allocated up front. */
export async function collect(stream: Readable, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  let offset = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const n = Math.min(chunk.length, size - offset);
    chunk.copy(buf, offset, 0, n);
    offset += n;
  }
  return offset === size ? buf : buf.subarray(0, offset);
}

export async function drain(stream: Readable): Promise<void> {
  for await (const _ of stream) {
    // discard
  }
}
