import Database from 'better-sqlite3';
import type { DbRecord } from './db-record.js';
import { RpmDbError } from './errors.js';

// rpm >= 4.16 keeps headers in `rpmdb.sqlite`, table Packages(hnum INTEGER PRIMARY KEY, blob BLOB).
const WRITE_VERSION_OFFSET = 18;
const READ_VERSION_OFFSET = 19;
const WAL_MODE = 2;
const LEGACY_MODE = 1;

/**
 * Every package header blob of an sqlite rpm database, in hnum order. better-sqlite3 copies the
 * bytes into an in-memory database. rpm leaves the file in WAL mode, which an in-memory database
 * cannot open, so header bytes 18 and 19 are set to rollback-journal mode for the moment of the
 * (synchronous) copy and restored at once: the caller's buffer ends unchanged, and a database of
 * hundreds of MiB is not copied twice.
 */
export function* readSqlite(content: Buffer): Generator<DbRecord> {
  let db: Database.Database | undefined;
  try {
    db = openInMemory(content);
    checkSchema(db);
    const rows = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').iterate() as Iterable<{
      hnum: unknown;
      blob: unknown;
    }>;
    for (const row of rows) {
      const where = `hnum ${String(row.hnum)}`;
      if (Buffer.isBuffer(row.blob)) yield { kind: 'header', where, blob: row.blob };
      else yield { kind: 'error', where, message: 'the blob column does not hold bytes' };
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

/**
 * The file comes from an image: its schema is untrusted. Only a plain `Packages` table is read
 * (better-sqlite3 already runs in defensive mode; `trusted_schema` is turned off too). A view, a
 * virtual table or a generated column would let the file make SQLite compute without bound
 * while we read it (generated columns over many rows took minutes and gigabytes), so each is
 * refused before any row is read.
 */
function checkSchema(db: Database.Database): void {
  db.pragma('trusted_schema = OFF');
  const entry = db.prepare("SELECT type, sql FROM sqlite_master WHERE name = 'Packages'").get() as
    | { type: unknown; sql: unknown }
    | undefined;
  if (entry?.type !== 'table') throw new RpmDbError('RPMDB_CORRUPT', 'no Packages table');
  if (typeof entry.sql !== 'string' || /^\s*CREATE\s+VIRTUAL\b/i.test(entry.sql))
    throw new RpmDbError('RPMDB_CORRUPT', 'the Packages table is a virtual table');
  const columns = db.prepare('SELECT name, hidden FROM pragma_table_xinfo(?)').all('Packages') as {
    name: unknown;
    hidden: unknown;
  }[];
  const generated = columns.find((c) => c.hidden !== 0);
  if (generated)
    throw new RpmDbError(
      'RPMDB_CORRUPT',
      `the Packages table has a generated column ${String(generated.name)}`,
    );
  for (const name of ['hnum', 'blob'])
    if (!columns.some((c) => c.name === name))
      throw new RpmDbError('RPMDB_CORRUPT', `the Packages table has no ${name} column`);
}

function openInMemory(content: Buffer): Database.Database {
  const write = content[WRITE_VERSION_OFFSET];
  const read = content[READ_VERSION_OFFSET];
  try {
    if (write === WAL_MODE) content[WRITE_VERSION_OFFSET] = LEGACY_MODE;
    if (read === WAL_MODE) content[READ_VERSION_OFFSET] = LEGACY_MODE;
    return new Database(content, { readonly: true });
  } finally {
    if (write !== undefined) content[WRITE_VERSION_OFFSET] = write;
    if (read !== undefined) content[READ_VERSION_OFFSET] = read;
  }
}
