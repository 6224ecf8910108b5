import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { ImageError } from '../errors.js';

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

const BLOCK = 512;
const MAX_ENTRIES = 100_000;
const MAX_META_BYTES = 1024 * 1024;

export function normalizeTarPath(name: string): string {
  const clean = posix.normalize(`/${name}`).slice(1);
  return clean.replace(/\/+$/, '');
}

function cstring(buf: Buffer, start: number, end: number): string {
  const nul = buf.indexOf(0, start);
  return buf.toString('utf8', start, nul === -1 || nul > end ? end : nul);
}

function numeric(buf: Buffer, start: number, end: number, what: string): number {
  const first = buf[start]!;
  if (first & 0x80) {
    // GNU base-256: big-endian, first byte's high bit is the marker
    let n = first & 0x7f;
    for (let i = start + 1; i < end; i++) n = n * 256 + buf[i]!;
    return n;
  }
  const text = cstring(buf, start, end).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error(`bad ${what} field "${text}"`);
  return Number.parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return numeric(block, 148, 156, 'checksum') === sum;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = Number(data.toString('ascii', pos, space));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) break;
    const record = data.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

function typeOf(flag: string): TarEntryType {
  if (flag === '0' || flag === '\0' || flag === '' || flag === '7') return 'file';
  if (flag === '5') return 'dir';
  if (flag === '2') return 'symlink';
  if (flag === '1') return 'hardlink';
  return 'other';
}

/** True when the first block of `path` is a tar header (ustar magic or a valid v7 checksum). */
export function looksLikeTar(head: Buffer): boolean {
  if (head.length < BLOCK) return false;
  const magic = head.toString('ascii', 257, 262);
  if (magic === 'ustar') return true;
  try {
    return head.some((b) => b !== 0) && checksumOk(head);
  } catch {
    return false;
  }
}

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
      fd = openSync(path, 'r');
    } catch (cause) {
      throw new ImageError('INVALID_ARCHIVE', `${path}: cannot open archive`, { cause });
    }
    try {
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
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  const fail = (why: string) =>
    new ImageError('INVALID_ARCHIVE', `${path}: not a valid tar archive (${why} at byte ${pos})`);
  while (pos + BLOCK <= fileSize) {
    const block = readAt(fd, pos, BLOCK, path);
    if (block.every((b) => b === 0)) break;
    let size: number;
    try {
      if (!checksumOk(block)) throw new Error('header checksum mismatch');
      size = numeric(block, 124, 136, 'size');
    } catch (err) {
      throw fail((err as Error).message);
    }
    const flag = String.fromCharCode(block[156]!);
    const dataOffset = pos + BLOCK;
    const paxSize = pax.size !== undefined ? Number(pax.size) : undefined;
    if (paxSize !== undefined && Number.isSafeInteger(paxSize) && paxSize >= 0) size = paxSize;
    if (dataOffset + size > fileSize) throw fail('entry data runs past the end of the file');
    const next = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x' || flag === 'L' || flag === 'K') {
      if (size > MAX_META_BYTES) throw fail('oversized extended header');
      const data = readAt(fd, dataOffset, size, path);
      if (flag === 'x') pax = parsePax(data);
      else if (flag === 'L') longName = cstring(data, 0, data.length);
      else longLink = cstring(data, 0, data.length);
      pos = next;
      continue;
    }
    if (flag !== 'g') {
      const ustarPrefix = block.toString('ascii', 257, 263) === 'ustar\0' ? cstring(block, 345, 500) : '';
      const rawName =
        pax.path ??
        longName ??
        (ustarPrefix ? `${ustarPrefix}/${cstring(block, 0, 100)}` : cstring(block, 0, 100));
      const linkname = pax.linkpath ?? longLink ?? cstring(block, 157, 257);
      const type = typeOf(flag);
      const name = normalizeTarPath(rawName);
      if (entries.size >= MAX_ENTRIES) throw fail(`more than ${MAX_ENTRIES} entries`);
      entries.set(name, {
        name,
        type,
        offset: dataOffset,
        size: type === 'file' ? size : 0,
        ...(type === 'symlink' || type === 'hardlink' ? { linkname } : {}),
      });
    }
    pax = {};
    longName = undefined;
    longLink = undefined;
    pos = next;
  }
  return entries;
}
