import { crc32, inflateRawSync } from 'node:zlib';
import { DisjointRanges } from '../../../core/byte-ranges.js';
import { LangError, malformed } from './errors.js';

/** One central-directory record: enough to find and inflate the entry. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc: number;
  readonly localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 500_000;

/** Lists a zip's entries from its central directory (ZIP64 included); every offset is bounds-checked. */
export function listZip(buf: Buffer): ZipEntry[] {
  const eocd = findEocd(buf);
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (
    (count === 0xffff || cdOffset === 0xffffffff) &&
    eocd >= 20 &&
    buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR
  ) {
    const at = safe(buf.readBigUInt64LE(eocd - 12));
    need(buf, at, 56);
    if (buf.readUInt32LE(at) !== ZIP64_EOCD) throw malformed('zip: bad ZIP64 end record');
    count = safe(buf.readBigUInt64LE(at + 32));
    cdOffset = safe(buf.readBigUInt64LE(at + 48));
  }
  if (count > MAX_ENTRIES)
    throw new LangError('TOO_LARGE', `zip: ${count} entries is more than ${MAX_ENTRIES}`);
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    need(buf, at, 46);
    if (buf.readUInt32LE(at) !== CENTRAL) throw malformed('zip: bad central directory record');
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    need(buf, at + 46, nameLen + extraLen);
    const sizes = {
      size: buf.readUInt32LE(at + 24),
      compressedSize: buf.readUInt32LE(at + 20),
      localOffset: buf.readUInt32LE(at + 42),
    };
    applyZip64Extra(buf.subarray(at + 46 + nameLen, at + 46 + nameLen + extraLen), sizes);
    entries.push({
      name: buf.toString('utf8', at + 46, at + 46 + nameLen),
      method: buf.readUInt16LE(at + 10),
      crc: buf.readUInt32LE(at + 16),
      ...sizes,
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  refuseOverlaps(buf, entries, cdOffset, at);
  return entries;
}

/**
 * Every entry's local header and data must own their bytes: entries that share data (or sit in the
 * central directory) are how a small archive lists the same megabytes thousands of times.
 */
function refuseOverlaps(buf: Buffer, entries: readonly ZipEntry[], cdStart: number, cdEnd: number): void {
  const ranges = new DisjointRanges();
  ranges.add(cdStart, cdEnd);
  for (const e of entries) {
    need(buf, e.localOffset, 30);
    if (buf.readUInt32LE(e.localOffset) !== LOCAL) throw malformed(`zip: bad local header for ${e.name}`);
    const end =
      e.localOffset +
      30 +
      buf.readUInt16LE(e.localOffset + 26) +
      buf.readUInt16LE(e.localOffset + 28) +
      e.compressedSize;
    if (!ranges.add(e.localOffset, end))
      throw malformed(`zip: entry ${e.name} overlaps another entry (a zip bomb)`);
  }
}

/** The entry's bytes (stored or deflated), never more than `maxSize`. */
export function readZipEntry(buf: Buffer, entry: ZipEntry, maxSize: number): Buffer {
  if (entry.size > maxSize)
    throw new LangError('TOO_LARGE', `zip: ${entry.name} is larger than ${maxSize} bytes`);
  need(buf, entry.localOffset, 30);
  if (buf.readUInt32LE(entry.localOffset) !== LOCAL)
    throw malformed(`zip: bad local header for ${entry.name}`);
  const start =
    entry.localOffset +
    30 +
    buf.readUInt16LE(entry.localOffset + 26) +
    buf.readUInt16LE(entry.localOffset + 28);
  need(buf, start, entry.compressedSize);
  const data = buf.subarray(start, start + entry.compressedSize);
  let out: Buffer;
  if (entry.method === 0) out = data;
  else if (entry.method === 8) {
    try {
      // never past the declared size: one byte more is enough to see the lie
      out = inflateRawSync(data, { maxOutputLength: entry.size + 1 });
    } catch (err) {
      throw malformed(`zip: cannot inflate ${entry.name}`, err);
    }
  } else throw new LangError('UNSUPPORTED', `zip: ${entry.name} uses compression method ${entry.method}`);
  if (out.length !== entry.size || crc32(out) !== entry.crc)
    throw malformed(`zip: ${entry.name} does not match its declared size and CRC-32`);
  return out;
}

function findEocd(buf: Buffer): number {
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let at = buf.length - 22; at >= stop; at--) {
    if (buf.readUInt32LE(at) === EOCD) return at;
  }
  throw malformed('zip: no end of central directory record');
}

/** ZIP64 extended information (id 1): 64-bit values for the fields saturated at 0xffffffff, in this order. */
function applyZip64Extra(
  extra: Buffer,
  s: { size: number; compressedSize: number; localOffset: number },
): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const len = extra.readUInt16LE(at + 2);
    if (id === 1) {
      let p = at + 4;
      for (const key of ['size', 'compressedSize', 'localOffset'] as const) {
        if (s[key] === 0xffffffff && p + 8 <= at + 4 + len && p + 8 <= extra.length) {
          s[key] = safe(extra.readBigUInt64LE(p));
          p += 8;
        }
      }
    }
    at += 4 + len;
  }
}

function need(buf: Buffer, at: number, length: number): void {
  if (at < 0 || at + length > buf.length) throw malformed('zip: a record points past the end of the file');
}

function safe(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('zip: offset out of range');
  return Number(v);
}
