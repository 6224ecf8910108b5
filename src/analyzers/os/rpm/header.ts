import { RpmDbError } from './errors.js';

/** The header tags this analyzer reads (rpm's `rpmtag.h`). */
export const RpmTag = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  /** file lists: each file is DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]; OLDFILENAMES before rpm 4.0 */
  OLDFILENAMES: 1027,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
} as const;
export type RpmTag = (typeof RpmTag)[keyof typeof RpmTag];

const TAG_NAMES = new Map<number, string>(Object.entries(RpmTag).map(([name, tag]) => [tag, name]));

/** Index entry data types; the array position is the type number, the value its alignment. */
const TYPE_ALIGN = [1, 1, 1, 2, 4, 8, 1, 1, 1, 1] as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_BIN = 7;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

/** HEADERIMAGE, HEADERSIGNATURES, HEADERIMMUTABLE: the tags that open a region. */
const REGION_TAGS = new Set([61, 62, 63]);
const ENTRY_SIZE = 16;
const PREAMBLE_SIZE = 8;
/** rpm's own limits (header_internal.h): at most 0xffff index entries and 256 MiB of data. */
const MAX_INDEX_ENTRIES = 0xffff;
const MAX_DATA_BYTES = 256 * 1024 * 1024;

interface IndexEntry {
  readonly tag: number;
  readonly type: number;
  readonly offset: number;
  readonly count: number;
}

function invalid(message: string): RpmDbError {
  return new RpmDbError('RPM_HEADER_INVALID', `rpm header: ${message}`);
}

function tagLabel(tag: number): string {
  return `${TAG_NAMES.get(tag) ?? 'tag'} (${tag})`;
}

/**
 * One package header as rpm stores it in its database: a preamble (index entry count, data
 * length), big-endian index entries (tag, type, offset, count) and the data store. Every offset
 * and length is checked against the blob before it is read.
 */
export class RpmHeader {
  private constructor(
    private readonly store: Buffer,
    private readonly entries: ReadonlyMap<number, IndexEntry>,
  ) {}

  static parse(blob: Uint8Array): RpmHeader {
    const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    if (buf.length < PREAMBLE_SIZE) throw invalid(`blob of ${buf.length} bytes has no preamble`);
    const il = buf.readUInt32BE(0);
    const dl = buf.readUInt32BE(4);
    if (il < 1 || il > MAX_INDEX_ENTRIES) throw invalid(`index entry count ${il} is out of range`);
    if (dl > MAX_DATA_BYTES) throw invalid(`data length ${dl} exceeds ${MAX_DATA_BYTES}`);
    const dataStart = PREAMBLE_SIZE + il * ENTRY_SIZE;
    if (dataStart + dl > buf.length) {
      throw invalid(
        `${il} index entries and ${dl} data bytes need ${dataStart + dl} bytes, blob has ${buf.length}`,
      );
    }
    const store = buf.subarray(dataStart, dataStart + dl);
    const all = readIndex(buf, il, dl);
    return new RpmHeader(store, indexByTag(all, store));
  }

  /** A STRING or I18NSTRING tag (the first, untranslated, string), or undefined when absent. */
  string(tag: RpmTag): string | undefined {
    const entry = this.entries.get(tag);
    if (entry === undefined) return undefined;
    if (entry.type !== TYPE_STRING && entry.type !== TYPE_I18NSTRING) {
      throw invalid(`${tagLabel(tag)} has type ${entry.type}, expected a string`);
    }
    const end = this.store.indexOf(0, entry.offset);
    if (end < 0) throw invalid(`${tagLabel(tag)} string at offset ${entry.offset} is not terminated`);
    return this.store.toString('utf8', entry.offset, end);
  }

  /** The first value of an INT32 tag, or undefined when absent. */
  int32(tag: RpmTag): number | undefined {
    const entry = this.entries.get(tag);
    if (entry === undefined) return undefined;
    if (entry.type !== TYPE_INT32 || entry.count < 1) {
      throw invalid(`${tagLabel(tag)} has type ${entry.type} and count ${entry.count}, expected INT32`);
    }
    if (entry.offset + 4 > this.store.length)
      throw invalid(`${tagLabel(tag)} value runs past the data store`);
    return this.store.readUInt32BE(entry.offset);
  }

  /** Every value of an INT32 tag, or undefined when absent. */
  int32Array(tag: RpmTag): number[] | undefined {
    const entry = this.entries.get(tag);
    if (entry === undefined) return undefined;
    if (entry.type !== TYPE_INT32) throw invalid(`${tagLabel(tag)} has type ${entry.type}, expected INT32`);
    if (entry.offset + entry.count * 4 > this.store.length) {
      throw invalid(`${tagLabel(tag)} ${entry.count} values run past the data store`);
    }
    return Array.from({ length: entry.count }, (_, i) => this.store.readUInt32BE(entry.offset + i * 4));
  }

  /** Every string of a STRING_ARRAY tag, or undefined when absent. */
  stringArray(tag: RpmTag): string[] | undefined {
    const entry = this.entries.get(tag);
    if (entry === undefined) return undefined;
    if (entry.type !== TYPE_STRING_ARRAY) {
      throw invalid(`${tagLabel(tag)} has type ${entry.type}, expected a string array`);
    }
    // each string takes at least its NUL byte: a count beyond the store is refused before any loop
    if (entry.count > this.store.length - entry.offset) {
      throw invalid(`${tagLabel(tag)} count ${entry.count} exceeds the data store`);
    }
    const out: string[] = [];
    let at = entry.offset;
    for (let i = 0; i < entry.count; i++) {
      const end = this.store.indexOf(0, at);
      if (end < 0) throw invalid(`${tagLabel(tag)} string ${i} at offset ${at} is not terminated`);
      out.push(this.store.toString('utf8', at, end));
      at = end + 1;
    }
    return out;
  }
}

function readIndex(buf: Buffer, il: number, dl: number): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (let i = 0; i < il; i++) {
    const at = PREAMBLE_SIZE + i * ENTRY_SIZE;
    const entry = {
      tag: buf.readInt32BE(at),
      type: buf.readUInt32BE(at + 4),
      offset: buf.readInt32BE(at + 8),
      count: buf.readUInt32BE(at + 12),
    };
    const align = TYPE_ALIGN[entry.type];
    if (align === undefined) throw invalid(`entry ${i} (tag ${entry.tag}) has unknown type ${entry.type}`);
    if (entry.offset < 0 || entry.offset >= dl) {
      throw invalid(
        `entry ${i} (tag ${entry.tag}) offset ${entry.offset} is outside the ${dl}-byte data store`,
      );
    }
    if (entry.offset % align !== 0)
      throw invalid(`entry ${i} (tag ${entry.tag}) offset ${entry.offset} is misaligned`);
    entries.push(entry);
  }
  return entries;
}

/**
 * A header that opens with a region tag keeps its signed (immutable) entries in the region and
 * may carry later "dribble" entries after it; a dribble entry replaces a region entry of the same
 * tag, as rpm's headerImport does. The region's trailer, 16 bytes at the region tag's offset, holds
 * minus the region's index size.
 */
function indexByTag(entries: readonly IndexEntry[], store: Buffer): Map<number, IndexEntry> {
  const byTag = new Map<number, IndexEntry>();
  const first = entries[0];
  let start = 0;
  if (first !== undefined && REGION_TAGS.has(first.tag)) {
    if (first.type !== TYPE_BIN || first.count !== ENTRY_SIZE || first.offset + ENTRY_SIZE > store.length) {
      throw invalid(`region tag ${first.tag} is malformed`);
    }
    const trailerOffset = store.readInt32BE(first.offset + 8);
    const regionEntries = -trailerOffset / ENTRY_SIZE;
    if (!Number.isInteger(regionEntries) || regionEntries < 1 || regionEntries > entries.length) {
      throw invalid(`region trailer size ${trailerOffset} does not fit ${entries.length} index entries`);
    }
    start = 1;
  }
  for (const entry of entries.slice(start)) byTag.set(entry.tag, entry);
  return byTag;
}
