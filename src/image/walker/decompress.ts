import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { StrataError } from '../../core/errors.js';
import { LayerError } from './errors.js';

/** 1 MiB output chunks: measured ~2.6x faster than zlib's 16 KiB default on large layers. */
const CHUNK = 1 << 20;

class ZstdStream extends Transform {
  private readonly z = new ZstdDecompress((data) => {
    this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });

  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    try {
      this.z.push(chunk);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.z.push(new Uint8Array(0), true);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}

/** Reads at least `n` bytes (or to the end) and puts them back, so the stream starts over. */
function peek(stream: Readable, n: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const cleanup = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const finish = (ended: boolean) => {
      cleanup();
      const head = Buffer.concat(chunks);
      if (!ended && head.length > 0) stream.unshift(head);
      resolve({ head, ended });
    };
    const onReadable = () => {
      let chunk: Buffer | null = stream.read();
      while (chunk !== null) {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= n) return finish(false);
        chunk = stream.read();
      }
      return undefined;
    };
    const onEnd = () => finish(true);
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

function corrupt(err: Error, what: string): Error {
  if (err instanceof StrataError) return err;
  const reason = /unexpected end of file/i.test(err.message) ? 'truncated compressed data' : err.message;
  return new LayerError('CORRUPT_LAYER', `${what}: cannot decompress (${reason.replace(/\s+/g, ' ')})`, {
    cause: err,
  });
}

/**
 * Returns a stream of the uncompressed tar of a layer blob. Media types lie (docker-archive
 * layers declared gzip are often plain tar), so the magic bytes decide: gzip, zstd, or plain.
 * Errors from the blob (a digest mismatch) and from decompression surface on the result.
 */
export async function decompressLayer(blob: Readable, what: string): Promise<Readable> {
  const { head, ended } = await peek(blob, 4).catch((err: Error) => {
    throw corrupt(err, what);
  });
  const source = ended ? Readable.from([head]) : blob;
  let decoder: Transform;
  if (head[0] === 0x1f && head[1] === 0x8b) decoder = createGunzip({ chunkSize: CHUNK });
  else if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) decoder = new ZstdStream();
  else decoder = new PassThrough({ highWaterMark: CHUNK });
  const out = new PassThrough({ highWaterMark: CHUNK });
  const fail = (err: Error) => out.destroy(corrupt(err, what));
  source.on('error', fail);
  decoder.on('error', fail);
  source.pipe(decoder).pipe(out);
  return out;
}
