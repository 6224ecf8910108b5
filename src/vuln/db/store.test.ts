import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOsv } from './import.js';
import { openAdvisoryDb } from './store.js';

const DSA = fileURLToPath(new URL('../fixtures/osv/DSA-5532-1.json', import.meta.url));

describe('advisory database schema', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A database as schema 1 wrote it: no alias index, one advisory, an ETag remembered. */
  function schemaOne(path: string): void {
    const db = new Database(path);
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE advisories (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, modified TEXT NOT NULL,
        withdrawn TEXT, origin TEXT, doc TEXT NOT NULL);
      CREATE TABLE affected (advisory_rid INTEGER NOT NULL, advisory_id TEXT NOT NULL, ecosystem TEXT NOT NULL,
        name TEXT NOT NULL, data TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '1'), ('source:Debian:etag', '"old"');
      INSERT INTO advisories VALUES (1, 'DSA-1', '2020-01-01T00:00:00Z', NULL, 'export:Debian', '{}');`);
    db.close();
  }

  it('refuses to scan with a database of an older schema, naming the command that rebuilds it', () => {
    const path = join(dir, 'old.db');
    schemaOne(path);
    expect(() => openAdvisoryDb(path, { readonly: true })).toThrow(
      /has schema 1, expected 2: run "strata db update" \(or "strata db import <path>"\) to rebuild it/,
    );
  });

  it('rebuilds an older database on import or update: emptied (ETags too), then filled again', async () => {
    const path = join(dir, 'old.db');
    schemaOne(path);
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
  });

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
