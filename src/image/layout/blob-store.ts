import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { parseDigest } from '../../core/digest.js';
import type { TarIndex } from '../archive/tar-index.js';
import { ImageError } from '../errors.js';

/**
 * The files of an OCI image layout (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), either a
 * directory or a tar of one read in place. Nothing here verifies digests: the content source does.
 */
export interface LayoutFiles {
  readonly where: string;
  /** a small file at the layout root, or undefined when absent */
  readRoot(name: 'index.json' | 'oci-layout', max: number): Buffer | undefined;
  blobSize(digest: string): number | undefined;
  readBlob(digest: string, max: number): Buffer;
  streamBlob(digest: string): Readable;
}

function blobPath(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `blobs/${algorithm}/${hex}`;
}

function missing(where: string, digest: string): ImageError {
  return new ImageError('NOT_FOUND', `${where}: blob ${digest} is missing from the layout`);
}

function tooLarge(where: string, what: string, max: number): ImageError {
  return new ImageError('TOO_LARGE', `${where}: ${what} is larger than ${max} bytes`);
}

export function directoryLayout(dir: string, where: string): LayoutFiles {
  const sizeOf = (rel: string) => {
    try {
      const st = statSync(join(dir, rel));
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  };
  const readSmall = (rel: string, max: number, what: string) => {
    const size = sizeOf(rel);
    if (size === undefined) return undefined;
    if (size > max) throw tooLarge(where, what, max);
    const fd = openSync(join(dir, rel), 'r');
    try {
      const buf = Buffer.alloc(size);
      const n = readSync(fd, buf, 0, size, 0);
      return buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  };
  return {
    where,
    readRoot: (name, max) => readSmall(name, max, name),
    blobSize: (digest) => sizeOf(blobPath(digest)),
    readBlob(digest, max) {
      const buf = readSmall(blobPath(digest), max, `blob ${digest}`);
      if (!buf) throw missing(where, digest);
      return buf;
    },
    streamBlob(digest) {
      if (sizeOf(blobPath(digest)) === undefined) throw missing(where, digest);
      return createReadStream(join(dir, blobPath(digest)), { highWaterMark: 1 << 20 });
    },
  };
}

export function tarLayout(index: TarIndex, where: string): LayoutFiles {
  return {
    where,
    readRoot(name, max) {
      const entry = index.resolve(name);
      return entry ? index.read(entry, max) : undefined;
    },
    blobSize: (digest) => index.resolve(blobPath(digest))?.size,
    readBlob(digest, max) {
      const entry = index.resolve(blobPath(digest));
      if (!entry) throw missing(where, digest);
      return index.read(entry, max);
    },
    streamBlob(digest) {
      const entry = index.resolve(blobPath(digest));
      if (!entry) throw missing(where, digest);
      return index.stream(entry);
    },
  };
}
