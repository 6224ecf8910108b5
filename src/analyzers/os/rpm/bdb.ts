import type { DbRecord } from './db-record.js';
import { RpmDbError } from './errors.js';

// Berkeley DB hash access method, as rpm (< 4.16 default) writes `Packages`: page 0 is the hash
// metadata page; hash pages hold key/value item pairs, and a value too large for its page lives in
// a chain of overflow pages that an H_OFFPAGE item points to. Layout per libdb's db_page.h.
const HASH_MAGIC = 0x00061561;
const PAGE_HEADER_SIZE = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const HOFFPAGE_SIZE = 12;
const MIN_PAGE_SIZE = 512;
const MAX_PAGE_SIZE = 65536;

interface HashDb {
  readonly content: Buffer;
  readonly pageSize: number;
  /** the last page number that is both declared by the metadata and present in the file */
  readonly lastPage: number;
  readonly littleEndian: boolean;
}

function corrupt(message: string): RpmDbError {
  return new RpmDbError('RPMDB_CORRUPT', message);
}

function u16(db: HashDb, page: Buffer, at: number): number {
  return db.littleEndian ? page.readUInt16LE(at) : page.readUInt16BE(at);
}

function u32(db: HashDb, page: Buffer, at: number): number {
  return db.littleEndian ? page.readUInt32LE(at) : page.readUInt32BE(at);
}

function pageAt(db: HashDb, pgno: number): Buffer {
  return db.content.subarray(pgno * db.pageSize, (pgno + 1) * db.pageSize);
}

/** Every package header blob of a BerkeleyDB hash `Packages` file, in page order. */
export function* readBdb(content: Buffer): Generator<DbRecord> {
  const { db, declaredLastPage } = openHashDb(content);
  if (declaredLastPage > db.lastPage) {
    yield {
      kind: 'error',
      message: `truncated: the metadata declares ${declaredLastPage + 1} pages of ${db.pageSize} bytes, the file holds ${db.lastPage + 1}`,
    };
  }
  for (let pgno = 1; pgno <= db.lastPage; pgno++) {
    const page = pageAt(db, pgno);
    if (page[25] === P_HASH || page[25] === P_HASH_UNSORTED) yield* readHashPage(db, pgno, page);
  }
}

function openHashDb(content: Buffer): { db: HashDb; declaredLastPage: number } {
  if (content.length < MIN_PAGE_SIZE)
    throw corrupt(`file of ${content.length} bytes is smaller than one page`);
  const littleEndian = content.readUInt32LE(12) === HASH_MAGIC;
  if (!littleEndian && content.readUInt32BE(12) !== HASH_MAGIC) throw corrupt('no hash magic at offset 12');
  const read = (at: number) => (littleEndian ? content.readUInt32LE(at) : content.readUInt32BE(at));
  const pageSize = read(20);
  if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || (pageSize & (pageSize - 1)) !== 0) {
    throw corrupt(`page size ${pageSize} is not a power of two between 512 and 65536`);
  }
  if (content[24] !== 0) throw corrupt(`encrypted with algorithm ${content[24]}, which is not supported`);
  if (content[25] !== P_HASHMETA) throw corrupt(`page 0 has type ${content[25]}, expected hash metadata`);
  const declaredLastPage = read(32);
  const lastPage = Math.min(declaredLastPage, Math.floor(content.length / pageSize) - 1);
  return { db: { content, pageSize, lastPage, littleEndian }, declaredLastPage };
}

/** A hash page's index holds item offsets in key/value pairs; item i ends where item i-1 starts. */
function* readHashPage(db: HashDb, pgno: number, page: Buffer): Generator<DbRecord> {
  const count = u16(db, page, 20);
  const indexEnd = PAGE_HEADER_SIZE + count * 2;
  if (count % 2 !== 0 || indexEnd > db.pageSize) {
    yield {
      kind: 'error',
      where: `page ${pgno}`,
      message: `${count} items do not form key/value pairs within the page`,
    };
    return;
  }
  const bounds = (i: number): [number, number] => {
    const start = u16(db, page, PAGE_HEADER_SIZE + i * 2);
    const end = i === 0 ? db.pageSize : u16(db, page, PAGE_HEADER_SIZE + (i - 1) * 2);
    return [start, end];
  };
  for (let i = 0; i < count; i += 2) {
    const [keyStart, keyEnd] = bounds(i);
    const [valueStart, valueEnd] = bounds(i + 1);
    const outside = keyEnd > db.pageSize || keyStart >= keyEnd || valueStart >= valueEnd;
    if (outside || keyStart < indexEnd || valueStart < indexEnd) {
      yield { kind: 'error', where: `page ${pgno}`, message: `item ${i} lies outside the page` };
      continue;
    }
    const key = page.subarray(keyStart, keyEnd);
    const instance =
      key[0] === H_KEYDATA && key.length === 5
        ? db.littleEndian
          ? key.readUInt32LE(1)
          : key.readUInt32BE(1)
        : undefined;
    // instance 0 is rpm's own record of the next free instance number, not a package
    if (instance === 0) continue;
    const where = instance === undefined ? `page ${pgno} item ${i}` : `header instance ${instance}`;
    try {
      yield { kind: 'header', where, blob: readValue(db, page.subarray(valueStart, valueEnd)) };
    } catch (err) {
      if (!(err instanceof RpmDbError)) throw err;
      yield { kind: 'error', where: `${where} (page ${pgno})`, message: err.message };
    }
  }
}

function readValue(db: HashDb, item: Buffer): Buffer {
  if (item[0] === H_KEYDATA) return item.subarray(1);
  if (item[0] !== H_OFFPAGE) throw corrupt(`value item type ${item[0]} is not supported`);
  if (item.length < HOFFPAGE_SIZE) throw corrupt('off-page item is truncated');
  return readOverflow(db, u32(db, item, 4), u32(db, item, 8));
}

/** Follows an overflow chain; each page says how many data bytes it holds (its free-offset field). */
function readOverflow(db: HashDb, first: number, total: number): Buffer {
  if (total > db.content.length) throw corrupt(`off-page item declares ${total} bytes, more than the file`);
  const out = Buffer.alloc(total);
  const seen = new Set<number>();
  let filled = 0;
  for (let pgno = first; pgno !== 0; ) {
    if (seen.has(pgno)) throw corrupt(`overflow chain from page ${first} loops back to page ${pgno}`);
    seen.add(pgno);
    if (pgno > db.lastPage)
      throw corrupt(`overflow chain from page ${first} points past the end at page ${pgno}`);
    const page = pageAt(db, pgno);
    if (page[25] !== P_OVERFLOW) throw corrupt(`page ${pgno} in an overflow chain has type ${page[25]}`);
    const length = u16(db, page, 22);
    if (PAGE_HEADER_SIZE + length > db.pageSize || filled + length > total) {
      throw corrupt(`overflow page ${pgno} holds more than its page or its item allows`);
    }
    page.copy(out, filled, PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + length);
    filled += length;
    pgno = u32(db, page, 16);
  }
  if (filled !== total) throw corrupt(`overflow chain from page ${first} holds ${filled} of ${total} bytes`);
  return out;
}
