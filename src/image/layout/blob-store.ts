import { closeSync, constants, createReadStream, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { parseDigest } from '../../core/digest.js';
import { realPathInside } from '../../core/safe-walk.js';
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

/** O_NOFOLLOW: the file checked is the file read, even if a link is swapped in between. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * A layout directory's files are read only when they are regular files inside it: a symlink
 * (`blobs/sha256/<hex> -> /etc/shadow`, or a linked `blobs` directory) would make the scan read
 * host files, so it is refused, not followed — a layout written by `umoci`, `skopeo` or `oras`
 * has none.
 */
export function directoryLayout(dir: string, where: string): LayoutFiles {
  const sizeOf = (rel: string) => {
    const full = join(dir, rel);
    let st: import('node:fs').Stats;
    try {
      st = lstatSync(full);
    } catch {
      return undefined;
    }
    if (st.isSymbolicLink() || realPathInside(dir, full) === undefined) {
      throw new ImageError(
        'INVALID_ARCHIVE',
        `${where}: ${rel} is a symlink or leaves the layout; its files must be regular files inside it`,
      );
    }
    return st.isFile() ? st.size : undefined;
  };
  const readSmall = (rel: string, max: number, what: string) => {
    const size = sizeOf(rel);
    if (size === undefined) return undefined;
    if (size > max) throw tooLarge(where, what, max);
    const fd = openSync(join(dir, rel), OPEN_FLAGS);
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
      const fd = openSync(join(dir, blobPath(digest)), OPEN_FLAGS);
      return createReadStream('', { fd, highWaterMark: 1 << 20 });
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
