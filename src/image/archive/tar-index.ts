import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { ImageError } from '../errors.js';
import {
  applyExtensions,
  isZeroBlock,
  looksLikeTar,
  MAX_TAR_META,
  parsePaxRecords,
  parseTarHeader,
  TAR_BLOCK,
  TarError,
  type TarFlagKind,
  tarBodySize,
} from '../tar/index.js';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/** One entry of a tar archive and where its bytes sit in the file. */
export interface TarEntry {
  /** normalised: no leading `./` or `/`, no trailing `/` */
  readonly name: string;
  readonly type: TarEntryType;
  /** byte offset of the entry's data in the archive */
  readonly offset: number;
  readonly size: number;
  readonly linkname?: string;
}

const BLOCK = TAR_BLOCK;
const MAX_ENTRIES = 100_000;

export function normalizeTarPath(name: string): string {
  const clean = posix.normalize(`/${name}`).slice(1);
  return clean.replace(/\/+$/, '');
}

function cstring(buf: Buffer): string {
  const nul = buf.indexOf(0);
  return buf.toString('utf8', 0, nul === -1 ? buf.length : nul);
}

function typeOf(kind: TarFlagKind): TarEntryType {
  switch (kind) {
    case 'file':
    case 'dir':
    case 'symlink':
    case 'hardlink':
      return kind;
    default:
      return 'other';
  }
}

export { looksLikeTar };

/**
 * The entries of an uncompressed tar file, found by reading only the headers (data is skipped
 * by offset). Entries are contiguous, so each one can later be read in place as a byte range.
 * Understands ustar prefixes, pax `path`/`linkpath`/`size` records and GNU long names.
 */
export class TarIndex {
  private constructor(
    readonly path: string,
    readonly entries: ReadonlyMap<string, TarEntry>,
  ) {}

  static open(path: string): TarIndex {
    let fd: number;
    try {
      // O_NONBLOCK: a FIFO named as an archive must not wait for a writer; it is refused below
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (cause) {
      throw new ImageError('INVALID_ARCHIVE', `${path}: cannot open archive`, { cause });
    }
    try {
      if (!fstatSync(fd).isFile()) {
        throw new ImageError('INVALID_ARCHIVE', `${path}: not a regular file, so not an image archive`);
      }
      return new TarIndex(path, scan(fd, path));
    } finally {
      closeSync(fd);
    }
  }

  get(name: string): TarEntry | undefined {
    return this.entries.get(normalizeTarPath(name));
  }

  /** The regular-file entry `name` names, following symlinks and hard links (docker save uses them). */
  resolve(name: string): TarEntry | undefined {
    let entry = this.get(name);
    for (let hops = 0; entry && hops < 16; hops++) {
      if (entry.type === 'file') return entry;
      if (entry.type === 'hardlink' && entry.linkname !== undefined) entry = this.get(entry.linkname);
      else if (entry.type === 'symlink' && entry.linkname !== undefined) {
        entry = this.get(posix.join(posix.dirname(entry.name), entry.linkname));
      } else return undefined;
    }
    return undefined;
  }

  /** Reads bytes [start, end) of an entry's data as a stream. */
  stream(entry: TarEntry, start = 0, end = entry.size): Readable {
    if (end <= start) return Readable.from([]);
    return createReadStream(this.path, {
      start: entry.offset + start,
      end: entry.offset + end - 1,
      highWaterMark: 1 << 20,
    });
  }

  /** Reads a whole small entry. */
  read(entry: TarEntry, max: number): Buffer {
    if (entry.size > max) {
      throw new ImageError('TOO_LARGE', `${this.path}: ${entry.name} is larger than ${max} bytes`);
    }
    const fd = openSync(this.path, 'r');
    try {
      return readAt(fd, entry.offset, entry.size, this.path);
    } finally {
      closeSync(fd);
    }
  }
}

function readAt(fd: number, position: number, length: number, path: string): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new ImageError('INVALID_ARCHIVE', `${path}: archive is truncated`);
    done += n;
  }
  return buf;
}

function scan(fd: number, path: string): Map<string, TarEntry> {
  const fileSize = fstatSync(fd).size;
  const entries = new Map<string, TarEntry>();
  let pos = 0;
  let ext: { pax?: Map<string, string>; longName?: string; longLink?: string } = {};
  const fail = (why: string, cause?: unknown) =>
    new ImageError('INVALID_ARCHIVE', `${path}: not a valid tar archive (${why} at byte ${pos})`, { cause });
  const parse = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof TarError) throw fail(err.message, err);
      throw err;
    }
  };
  while (pos + BLOCK <= fileSize) {
    const block = readAt(fd, pos, BLOCK, path);
    if (isZeroBlock(block)) break;
    const raw = parse(() => parseTarHeader(block));
    const dataOffset = pos + BLOCK;
    if (
      raw.kind === 'pax' ||
      raw.kind === 'pax-global' ||
      raw.kind === 'gnu-longname' ||
      raw.kind === 'gnu-longlink'
    ) {
      if (raw.size > MAX_TAR_META) throw fail('oversized extended header');
      if (dataOffset + raw.size > fileSize) throw fail('entry data runs past the end of the file');
      const data = readAt(fd, dataOffset, raw.size, path);
      if (raw.kind === 'pax') ext.pax = parse(() => parsePaxRecords(data));
      else if (raw.kind === 'gnu-longname') ext.longName = cstring(data);
      else if (raw.kind === 'gnu-longlink') ext.longLink = cstring(data);
      pos = dataOffset + Math.ceil(raw.size / BLOCK) * BLOCK;
      continue;
    }
    const h = parse(() => applyExtensions(raw, ext));
    ext = {};
    const type = typeOf(h.kind);
    const size = tarBodySize(h);
    if (dataOffset + size > fileSize) throw fail('entry data runs past the end of the file');
    const name = normalizeTarPath(h.name);
    if (entries.size >= MAX_ENTRIES) throw fail(`more than ${MAX_ENTRIES} entries`);
    entries.set(name, {
      name,
      type,
      offset: dataOffset,
      size: type === 'file' ? size : 0,
      ...(type === 'symlink' || type === 'hardlink' ? { linkname: h.linkName } : {}),
    });
    pos = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
