import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOsv } from './import.js';
import { SCHEMA_VERSION } from './schema.js';
import { openAdvisoryDb } from './store.js';

const DSA = fileURLToPath(new URL('../fixtures/osv/DSA-5532-1.json', import.meta.url));

describe('advisory database schema', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A database as schema 1 wrote it: no alias index, one advisory, an ETag remembered; as schema 2 (the
   * same `affected` rows: the entry's JSON only, no `ranges`/`versions` columns) when `version` says so.
   */
  function schemaOne(path: string, version = '1'): void {
    const db = new Database(path);
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE advisories (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, modified TEXT NOT NULL,
        withdrawn TEXT, origin TEXT, doc TEXT NOT NULL);
      CREATE TABLE affected (advisory_rid INTEGER NOT NULL, advisory_id TEXT NOT NULL, ecosystem TEXT NOT NULL,
        name TEXT NOT NULL, data TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '${version}'), ('source:Debian:etag', '"old"');
      INSERT INTO advisories VALUES (1, 'DSA-1', '2020-01-01T00:00:00Z', NULL, 'export:Debian', '{}');`);
    db.close();
  }

  it.each(['1', '2'])(
    'refuses to scan with a database of schema %s, naming the command that rebuilds it',
    (version) => {
      const path = join(dir, 'old.db');
      schemaOne(path, version);
      expect(SCHEMA_VERSION).toBe(3);
      expect(() => openAdvisoryDb(path, { readonly: true })).toThrow(
        new RegExp(
          `has schema ${version}, expected 3: run "strata db update" \\(or "strata db import <path>"\\) to rebuild it$`,
        ),
      );
    },
  );

  it.each(['1', '2'])(
    'rebuilds a database of schema %s on import or update: emptied (ETags too), then filled again',
    async (version) => {
      const path = join(dir, 'old.db');
      schemaOne(path, version);
      const db = openAdvisoryDb(path);
      try {
        expect(db.counts().advisories).toBe(0);
        expect(db.getMeta('source:Debian:etag')).toBeUndefined();
        await importOsv(db, [DSA]);
        expect(db.counts().advisories).toBe(1);
        expect(db.relatedAdvisories('DEBIAN-CVE-2023-5363', []).map((d) => d.id)).toEqual(['DSA-5532-1']);
      } finally {
        db.close();
      }
      const again = openAdvisoryDb(path, { readonly: true });
      expect(again.counts().advisories).toBe(1);
      again.close();
    },
  );

  it('drops the alias rows of a pruned advisory', async () => {
    const path = join(dir, 'new.db');
    const db = openAdvisoryDb(path);
    try {
      await importOsv(db, [DSA], undefined, { origin: 'export:Debian' });
      expect(db.relatedAdvisories('X', ['CVE-2023-5363']).map((d) => d.id)).toEqual(['DSA-5532-1']);
      db.transaction(() => db.pruneOrigin('export:Debian', new Set()));
      expect(db.relatedAdvisories('X', ['CVE-2023-5363'])).toEqual([]);
    } finally {
      db.close();
    }
    const raw = new Database(path, { readonly: true });
    const rows = (table: string) =>
      raw.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n;
    expect([rows('aliases'), rows('affected'), rows('advisories')]).toEqual([0, 0, 0]);
    raw.close();
  });
});
