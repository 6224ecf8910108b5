import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readSqlite } from './sqlite.js';

/** An sqlite database made with the given statements, as the bytes a layer would hold. */
function database(...statements: string[]): Buffer {
  const db = new Database(':memory:');
  for (const sql of statements) db.exec(sql);
  const bytes = db.serialize();
  db.close();
  return bytes;
}

const read = (content: Buffer) => [...readSqlite(content)];

describe('readSqlite on a hostile schema', () => {
  it.each([
    [
      'a virtual generated column',
      'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB, x BLOB AS (zeroblob(100000000)) VIRTUAL)',
      /generated column x/,
    ],
    [
      'a generated blob column',
      'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, b0 BLOB, blob BLOB AS (b0 || b0 || b0 || b0))',
      /generated column blob/,
    ],
    [
      'a view',
      'CREATE TABLE t (hnum, blob); CREATE VIEW Packages AS SELECT a.hnum, a.blob FROM t a, t b, t c',
      /no Packages table/,
    ],
    ['no blob column', 'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, data BLOB)', /no blob column/],
  ])('refuses %s before reading any row', (_what, sql, message) => {
    expect(() => read(database(sql))).toThrow(message);
  });

  it('still reads a plain Packages table', () => {
    const content = database(
      'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL)',
      "INSERT INTO Packages VALUES (1, x'00'), (2, 'text')",
    );
    expect(read(content).map((r) => r.kind)).toEqual(['header', 'error']);
  });
});
