import Database from 'better-sqlite3';
import type { DbRecord } from './db-record.js';
import { RpmDbError } from './errors.js';

// rpm >= 4.16 keeps headers in `rpmdb.sqlite`, table Packages(hnum INTEGER PRIMARY KEY, blob BLOB).
const WRITE_VERSION_OFFSET = 18;
const READ_VERSION_OFFSET = 19;
const WAL_MODE = 2;
const LEGACY_MODE = 1;

/**
 * Every package header blob of an sqlite rpm database, in hnum order. The database is opened
 * from a copy of the bytes; rpm leaves it in WAL mode, which an in-memory image cannot use, so
 * the copy is marked as a rollback-journal database first (header bytes 18 and 19).
 */
export function* readSqlite(content: Buffer): Generator<DbRecord> {
  const image = Buffer.from(content);
  if (image.length > READ_VERSION_OFFSET) {
    if (image[WRITE_VERSION_OFFSET] === WAL_MODE) image[WRITE_VERSION_OFFSET] = LEGACY_MODE;
    if (image[READ_VERSION_OFFSET] === WAL_MODE) image[READ_VERSION_OFFSET] = LEGACY_MODE;
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(image, { readonly: true });
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'Packages'").get();
    if (table === undefined) throw new RpmDbError('RPMDB_CORRUPT', 'no Packages table');
    const rows = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').iterate() as Iterable<{
      hnum: unknown;
      blob: unknown;
    }>;
    for (const row of rows) {
      const where = `hnum ${String(row.hnum)}`;
      if (Buffer.isBuffer(row.blob)) yield { kind: 'header', where, blob: row.blob };
      else yield { kind: 'error', message: `${where}: the blob column does not hold bytes` };
    }
  } catch (err) {
    if (err instanceof RpmDbError) throw err;
    if (err instanceof Database.SqliteError)
      throw new RpmDbError('RPMDB_CORRUPT', err.message, { cause: err });
    throw err;
  } finally {
    db?.close();
  }
}
