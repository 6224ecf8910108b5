import type { DbRecord } from './db-record.js';
import { RpmDbError } from './errors.js';

// rpm's NDB backend (`Packages.db`, SUSE): a 32-byte header ('RpmP', version, generation, number
// of slot pages), then 4 KiB slot pages of 16-byte slots ('Slot', package index, block offset,
// block count; the header takes the first two slots). A used slot points, in 16-byte blocks, at a
// blob: 'BlbS', package index, generation, length, then the header blob. Layout per rpm's
// lib/backend/ndb/rpmpkg.c.
const NDB_MAGIC = 0x506d7052; // 'RpmP' little-endian
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOB_MAGIC = 0x53626c42; // 'BlbS'
const NDB_HEADER_SIZE = 32;
const SLOT_PAGE_SIZE = 4096;
const SLOT_SIZE = 16;
const BLOCK_SIZE = 16;
const BLOB_HEADER_SIZE = 16;

function corrupt(message: string): RpmDbError {
  return new RpmDbError('RPMDB_CORRUPT', message);
}

/** Every package header blob of an NDB `Packages.db`, in slot order. */
export function* readNdb(content: Buffer): Generator<DbRecord> {
  if (content.length < NDB_HEADER_SIZE) throw corrupt(`file of ${content.length} bytes has no header`);
  if (content.readUInt32LE(0) !== NDB_MAGIC) throw corrupt("no 'RpmP' magic");
  const version = content.readUInt32LE(4);
  if (version !== 0) throw corrupt(`version ${version} is not supported`);
  const slotPages = content.readUInt32LE(12);
  if (slotPages === 0) throw corrupt('the header declares no slot pages');
  const slotsEnd = Math.min(slotPages * SLOT_PAGE_SIZE, content.length - (content.length % SLOT_SIZE));
  if (slotPages * SLOT_PAGE_SIZE > content.length) {
    yield {
      kind: 'error',
      message: `truncated: ${slotPages} slot pages do not fit in ${content.length} bytes`,
    };
  }
  for (let at = NDB_HEADER_SIZE; at < slotsEnd; at += SLOT_SIZE) {
    if (content.readUInt32LE(at) !== SLOT_MAGIC) {
      yield {
        kind: 'error',
        message: `slot ${at / SLOT_SIZE} has no 'Slot' magic; the slot table is corrupt`,
      };
      return;
    }
    const pkgIndex = content.readUInt32LE(at + 4);
    if (pkgIndex === 0) continue;
    try {
      yield { kind: 'header', where: `package ${pkgIndex}`, blob: readBlob(content, pkgIndex, at) };
    } catch (err) {
      if (!(err instanceof RpmDbError)) throw err;
      yield { kind: 'error', where: `package ${pkgIndex}`, message: err.message };
    }
  }
}

function readBlob(content: Buffer, pkgIndex: number, slotAt: number): Buffer {
  const start = content.readUInt32LE(slotAt + 8) * BLOCK_SIZE;
  const blocks = content.readUInt32LE(slotAt + 12);
  if (start + BLOB_HEADER_SIZE > content.length)
    throw corrupt(`blob offset ${start} is past the end of the file`);
  if (content.readUInt32LE(start) !== BLOB_MAGIC) throw corrupt(`no 'BlbS' magic at offset ${start}`);
  const owner = content.readUInt32LE(start + 4);
  if (owner !== pkgIndex) throw corrupt(`the blob at offset ${start} belongs to package ${owner}`);
  const length = content.readUInt32LE(start + 12);
  const dataStart = start + BLOB_HEADER_SIZE;
  if (BLOB_HEADER_SIZE + length > blocks * BLOCK_SIZE || dataStart + length > content.length) {
    throw corrupt(`blob of ${length} bytes does not fit its ${blocks} blocks or the file`);
  }
  return content.subarray(dataStart, dataStart + length);
}
