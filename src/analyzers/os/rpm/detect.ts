import type { RpmDbFormat } from './db-record.js';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const BDB_HASH_MAGIC = 0x00061561;
const NDB_MAGIC = Buffer.from('RpmP', 'latin1');

/** Which rpm database format the bytes hold, judged by content alone. */
export function detectFormat(content: Buffer): RpmDbFormat | undefined {
  if (content.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return 'sqlite';
  if (content.subarray(0, NDB_MAGIC.length).equals(NDB_MAGIC)) return 'ndb';
  if (content.length >= 16) {
    const le = content.readUInt32LE(12);
    const be = content.readUInt32BE(12);
    if (le === BDB_HASH_MAGIC || be === BDB_HASH_MAGIC) return 'bdb';
  }
  return undefined;
}
