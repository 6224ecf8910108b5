import { close, read } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';

const BLOCK = 1024 * 1024;
const SLOTS = 4;

/**
 * A yauzl random-access reader over a file descriptor that serves reads from a few cached 1 MiB blocks:
 * an OSV export is read front to back (and its central directory at the end), so nearly every header
 * and record read is a memory copy instead of a syscall. Memory stays at SLOTS blocks plus one record.
 */
export class BlockReader extends yauzl.RandomAccessReader {
  private readonly blocks = new Map<number, Promise<Buffer>>();

  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  private block(index: number): Promise<Buffer> {
    const hit = this.blocks.get(index);
    if (hit) {
      this.blocks.delete(index);
      this.blocks.set(index, hit);
      return hit;
    }
    const start = index * BLOCK;
    const length = Math.min(BLOCK, this.size - start);
    const loading = new Promise<Buffer>((resolve, reject) => {
      const buf = Buffer.allocUnsafe(length);
      read(this.fd, buf, 0, length, start, (err, n) => (err ? reject(err) : resolve(buf.subarray(0, n))));
    });
    this.blocks.set(index, loading);
    if (this.blocks.size > SLOTS) this.blocks.delete(this.blocks.keys().next().value!);
    return loading;
  }

  async range(start: number, end: number): Promise<Buffer> {
    if (start < 0 || end > this.size || end < start)
      throw new Error(`read outside the archive: ${start}-${end}`);
    const parts: Buffer[] = [];
    for (let i = Math.floor(start / BLOCK); i * BLOCK < end; i++) {
      const b = await this.block(i);
      const from = Math.max(start - i * BLOCK, 0);
      const to = Math.min(end - i * BLOCK, b.length);
      parts.push(b.subarray(from, to));
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    this.range(position, position + length).then(
      (b) => {
        b.copy(buffer, offset);
        callback(null);
      },
      (err: Error) => callback(err),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    this.range(start, end).then(
      (b) => out.end(b),
      (err: Error) => out.destroy(err),
    );
    return out;
  }

  override close(callback: (err: Error | null) => void): void {
    this.blocks.clear();
    close(this.fd, (err) => callback(err ?? null));
  }
}
