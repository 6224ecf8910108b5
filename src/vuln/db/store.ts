import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { VulnError } from '../errors.js';
import { normalizeName } from '../names.js';
import type { OsvAffected, OsvRange, OsvRecord, OsvSeverity } from '../osv/types.js';
import { type VendorRating, vendorRatings } from '../vendor-severity.js';
import { DDL, SCHEMA_VERSION, TABLES } from './schema.js';

/** What a finding needs from an advisory, stored once per record. */
export interface AdvisoryDoc {
  readonly id: string;
  readonly modified: string;
  readonly published?: string;
  readonly summary?: string;
  readonly details?: string;
  readonly aliases: readonly string[];
  readonly upstream: readonly string[];
  readonly severity: readonly OsvSeverity[];
  readonly references: readonly string[];
  /** the database's own rating (GHSA `database_specific.severity`), when it gives one */
  readonly databaseSeverity?: string;
}

/** An affected entry as stored: what matching needs, with the distribution's ratings read at import. */
export interface StoredAffectedData extends OsvAffected {
  readonly vendor?: readonly VendorRating[];
}

/** One affected entry of a live advisory; the advisory itself is read on demand (most entries do not match). */
export interface StoredAffected {
  readonly advisoryId: string;
  readonly affected: StoredAffectedData;
  advisory(): AdvisoryDoc;
}

/**
 * One affected entry as matching reads it: its non-GIT ranges and listed versions, nothing else (the
 * rest of the entry and its advisory are read by `storedAffected` only when it matches). Read once per
 * database handle and shared by every package and every scan on that handle: never mutate it.
 */
export interface MatchEntry {
  readonly advisoryId: string;
  /** the advisory's row */
  readonly rid: number;
  /** the affected entry's row */
  readonly row: number;
  readonly ranges: readonly OsvRange[];
  readonly versions: readonly string[];
  /** the rest of the entry, as stored (JSON), parsed by `storedAffected` */
  readonly data: string;
}

interface EntryRow {
  row: number;
  rid: number;
  id: string;
  name: string;
  ranges: string;
  versions: string | null;
  data: string;
}

/** Names per entries query (bound as one JSON array); entries cached per handle before a reset. */
const NAMES_PER_QUERY = 500;
const MAX_CACHED_PACKAGES = 100_000;
const MAX_CACHED_DOCS = 20_000;
const NO_VERSIONS: readonly string[] = Object.freeze([]);

export type UpsertOutcome = 'imported' | 'replaced' | 'skipped' | 'withdrawn';

// Keys of ecosystem_specific / database_specific that carry a rating or a status; the rest is not kept.
const KEPT_KEYS = ['severity', 'urgency', 'status', 'fix_status'];

function pickKeys(o: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> | undefined {
  if (!o) return undefined;
  const out = Object.fromEntries(KEPT_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return Object.keys(out).length ? out : undefined;
}

function toDoc(r: OsvRecord): AdvisoryDoc {
  const dbSeverity = r.databaseSpecific?.severity;
  return {
    id: r.id,
    modified: r.modified,
    ...(r.published ? { published: r.published } : {}),
    ...(r.summary ? { summary: r.summary } : {}),
    ...(r.details ? { details: r.details } : {}),
    aliases: r.aliases,
    upstream: r.upstream,
    severity: r.severity,
    references: r.references,
    ...(typeof dbSeverity === 'string' ? { databaseSeverity: dbSeverity } : {}),
  };
}

/** The `data` column: the affected entry without what matching reads (its own `ranges`/`versions` columns). */
type StoredRest = Omit<StoredAffectedData, 'ranges' | 'versions'>;

function toStoredRest(a: OsvAffected): StoredRest {
  const eco = pickKeys(a.ecosystemSpecific);
  const db = pickKeys(a.databaseSpecific);
  const vendor = vendorRatings(a);
  return {
    ecosystem: a.ecosystem,
    name: a.name,
    ...(a.purl ? { purl: a.purl } : {}),
    ...(a.severity ? { severity: a.severity } : {}),
    ...(eco ? { ecosystemSpecific: eco } : {}),
    ...(db ? { databaseSpecific: db } : {}),
    ...(vendor.length ? { vendor } : {}),
  };
}

/** The local advisory database: OSV records indexed by (ecosystem, package name). */
export class AdvisoryDb {
  readonly path: string;
  readonly readonly: boolean;
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(path: string, opts: { readonly?: boolean } = {}) {
    this.path = path;
    this.readonly = opts.readonly ?? false;
    if (this.readonly && !existsSync(path)) {
      throw new VulnError(
        'DB_NOT_FOUND',
        `no advisory database at ${path}: run "strata db update" (or "strata db import <path>" offline, or scan with --download-db)`,
      );
    }
    if (!this.readonly) mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path, { readonly: this.readonly, fileMustExist: this.readonly });
      if (!this.readonly) {
        this.db.pragma('journal_mode = DELETE');
        this.db.pragma('synchronous = NORMAL');
        this.db.pragma('foreign_keys = ON');
        this.db.exec(DDL);
        const v = this.getMeta('schema_version');
        if (v === undefined) this.setMeta('schema_version', String(SCHEMA_VERSION));
        else if (v !== String(SCHEMA_VERSION)) this.rebuild();
      }
      const v = this.readonly ? this.getMetaRaw('schema_version') : this.getMeta('schema_version');
      if (v !== String(SCHEMA_VERSION)) {
        throw new VulnError(
          'DB_INVALID',
          `advisory database ${path} has schema ${v ?? 'none'}, expected ${SCHEMA_VERSION}: run "strata db update" (or "strata db import <path>") to rebuild it`,
        );
      }
    } catch (err) {
      if (err instanceof VulnError) throw err;
      throw new VulnError('DB_INVALID', `cannot open advisory database ${path}`, { cause: err });
    }
    this.stmts = {
      existing: this.db.prepare<[string], { rid: number; modified: string }>(
        'SELECT rid, modified FROM advisories WHERE id = ?',
      ),
      insert: this.db.prepare(
        'INSERT INTO advisories (id, modified, withdrawn, origin, doc) VALUES (?, ?, ?, ?, ?)',
      ),
      update: this.db.prepare(
        'UPDATE advisories SET modified = ?, withdrawn = ?, origin = ?, doc = ? WHERE rid = ?',
      ),
      deleteAffected: this.db.prepare('DELETE FROM affected WHERE advisory_rid = ?'),
      deleteAliases: this.db.prepare('DELETE FROM aliases WHERE advisory_rid = ?'),
      insertAlias: this.db.prepare('INSERT INTO aliases (advisory_rid, alias) VALUES (?, ?)'),
      insertEcosystem: this.db.prepare('INSERT OR IGNORE INTO ecosystems (name) VALUES (?)'),
      related: this.db.prepare<[{ ids: string; id: string }], { rid: number }>(
        // live advisories other than the record itself that it names, or that name it or one of its ids
        `SELECT rid FROM advisories WHERE withdrawn IS NULL AND id != @id AND (
           id IN (SELECT value FROM json_each(@ids))
           OR rid IN (SELECT advisory_rid FROM aliases WHERE alias IN (SELECT value FROM json_each(@ids)) OR alias = @id)
         ) ORDER BY id`,
      ),
      insertAffected: this.db.prepare(
        'INSERT INTO affected (advisory_rid, advisory_id, ecosystem, name, ranges, versions, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      lookup: this.db.prepare<
        [string, string],
        { rid: number; id: string; ranges: string; versions: string | null; data: string }
      >(
        // withdrawn advisories keep no affected rows, so this needs no join
        'SELECT advisory_rid AS rid, advisory_id AS id, ranges, versions, data FROM affected WHERE ecosystem = ? AND name = ? ORDER BY advisory_id, rowid',
      ),
      entries: this.db.prepare<[string, string], EntryRow>(
        // the packages of one ecosystem named in a JSON array, each one's entries by advisory id
        `SELECT rowid AS row, advisory_rid AS rid, advisory_id AS id, name, ranges, versions, data FROM affected
         WHERE ecosystem = ? AND name IN (SELECT value FROM json_each(?)) ORDER BY name, advisory_id, rowid`,
      ),
      doc: this.db.prepare<[number], { doc: string }>('SELECT doc FROM advisories WHERE rid = ?'),
      docs: this.db.prepare<[string], { rid: number; doc: string }>(
        'SELECT rid, doc FROM advisories WHERE rid IN (SELECT value FROM json_each(?))',
      ),
      anyLive: this.db.prepare<[], { one: number }>(
        'SELECT 1 AS one FROM advisories WHERE withdrawn IS NULL LIMIT 1',
      ),
      hasEcosystem: this.db.prepare<[string], { one: number }>(
        'SELECT 1 AS one FROM affected WHERE ecosystem = ? LIMIT 1',
      ),
    };
  }

  /** Empties a database written with an older schema: the next import or update fills it again. */
  private rebuild(): void {
    this.db.pragma('foreign_keys = OFF');
    for (const t of TABLES) this.db.exec(`DROP TABLE IF EXISTS ${t}`);
    this.db.pragma('foreign_keys = ON');
    this.db.exec(DDL);
    this.setMeta('schema_version', String(SCHEMA_VERSION));
  }

  private getMetaRaw(key: string): string | undefined {
    try {
      return this.getMeta(key);
    } catch {
      return undefined;
    }
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  deleteMeta(key: string): void {
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  }

  metaEntries(prefix: string): [string, string][] {
    return this.db
      .prepare<[string], { key: string; value: string }>(
        "SELECT key, value FROM meta WHERE key LIKE ? || '%' ORDER BY key",
      )
      .all(prefix)
      .map((r) => [r.key, r.value]);
  }

  /** Runs `fn` in one transaction (all or nothing). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Stores a record unless the database already holds it at the same or a newer `modified`.
   * A withdrawn record is kept (so an older copy cannot come back) but never matches.
   */
  upsert(record: OsvRecord, origin?: string): UpsertOutcome {
    const existing = this.stmts.existing.get(record.id);
    if (existing && existing.modified >= record.modified) return 'skipped';
    this.forget();
    const doc = JSON.stringify(toDoc(record));
    let rid: number;
    if (existing) {
      rid = existing.rid;
      this.stmts.update.run(record.modified, record.withdrawn ?? null, origin ?? null, doc, rid);
      this.stmts.deleteAffected.run(rid);
      this.stmts.deleteAliases.run(rid);
    } else {
      rid = Number(
        this.stmts.insert.run(record.id, record.modified, record.withdrawn ?? null, origin ?? null, doc)
          .lastInsertRowid,
      );
    }
    if (!record.withdrawn) {
      for (const a of record.affected) {
        this.stmts.insertAffected.run(
          rid,
          record.id,
          a.ecosystem,
          normalizeName(a.ecosystem, a.name),
          JSON.stringify(a.ranges.filter((r) => r.type !== 'GIT')),
          a.versions.length ? JSON.stringify(a.versions) : null,
          JSON.stringify(toStoredRest(a)),
        );
        this.stmts.insertEcosystem.run(a.ecosystem);
      }
      for (const alias of new Set([...record.aliases, ...record.upstream])) {
        if (alias !== record.id) this.stmts.insertAlias.run(rid, alias);
      }
    }
    if (record.withdrawn) return 'withdrawn';
    return existing ? 'replaced' : 'imported';
  }

  /** Every live advisory entry for one package of one ecosystem (release included: `Debian:12`). */
  lookup(ecosystem: string, name: string): StoredAffected[] {
    return this.stmts.lookup.all(ecosystem, normalizeName(ecosystem, name)).map((r) => ({
      advisoryId: r.id,
      affected: {
        ...(JSON.parse(r.data) as StoredRest),
        ranges: JSON.parse(r.ranges) as OsvRange[],
        versions: r.versions === null ? [] : (JSON.parse(r.versions) as string[]),
      },
      advisory: () => this.advisoryDoc(r.rid),
    }));
  }

  private readonly entryCache = new Map<string, readonly MatchEntry[]>();

  /**
   * Reads the match entries of many packages of one ecosystem (names as the inventory spells them)
   * in a few queries, for `matchEntries`; packages already read on this handle are not read again.
   */
  loadEntries(ecosystem: string, names: Iterable<string>): void {
    const wanted = new Set<string>();
    for (const name of names) {
      const n = normalizeName(ecosystem, name);
      if (!this.entryCache.has(`${ecosystem}\u0000${n}`)) wanted.add(n);
    }
    if (wanted.size === 0) return;
    if (this.entryCache.size + wanted.size > MAX_CACHED_PACKAGES) this.entryCache.clear();
    const all = [...wanted];
    for (let i = 0; i < all.length; i += NAMES_PER_QUERY) {
      const chunk = all.slice(i, i + NAMES_PER_QUERY);
      const found = new Map<string, MatchEntry[]>();
      for (const r of this.stmts.entries.iterate(ecosystem, JSON.stringify(chunk))) {
        const list = found.get(r.name);
        if (list) list.push(toEntry(r));
        else found.set(r.name, [toEntry(r)]);
      }
      for (const n of chunk) this.entryCache.set(`${ecosystem}\u0000${n}`, found.get(n) ?? []);
    }
  }

  /**
   * Every live advisory entry for one package of one ecosystem (release included: `Debian:12`), in
   * advisory id order: what `lookup` gives, without the parts matching does not read. Cached per handle.
   */
  matchEntries(ecosystem: string, name: string): readonly MatchEntry[] {
    const key = `${ecosystem}\u0000${normalizeName(ecosystem, name)}`;
    let hit = this.entryCache.get(key);
    if (!hit) {
      this.loadEntries(ecosystem, [name]);
      hit = this.entryCache.get(key) ?? [];
    }
    return hit;
  }

  /** A matched entry in full (severity, ratings, status) with its advisory, as `lookup` gives it. */
  storedAffected(entry: MatchEntry): StoredAffected {
    return {
      advisoryId: entry.advisoryId,
      affected: { ...(JSON.parse(entry.data) as StoredRest), ranges: entry.ranges, versions: entry.versions },
      advisory: () => this.advisoryDoc(entry.rid),
    };
  }

  private readonly docs = new Map<number, AdvisoryDoc>();

  /** The stored advisory text, parsed once per database handle (bounded cache). */
  /** Reads the advisories of many rows in a few queries, for `advisoryDoc` (the matched ones of a scan). */
  loadAdvisoryDocs(rids: Iterable<number>): void {
    const wanted = [...new Set(rids)].filter((rid) => !this.docs.has(rid));
    if (this.docs.size + wanted.length > MAX_CACHED_DOCS) this.docs.clear();
    for (let i = 0; i < wanted.length; i += NAMES_PER_QUERY) {
      for (const row of this.stmts.docs.iterate(JSON.stringify(wanted.slice(i, i + NAMES_PER_QUERY)))) {
        this.docs.set(row.rid, JSON.parse(row.doc) as AdvisoryDoc);
      }
    }
  }

  advisoryDoc(rid: number): AdvisoryDoc {
    let doc = this.docs.get(rid);
    if (!doc) {
      const row = this.stmts.doc.get(rid);
      if (!row) throw new VulnError('DB_INVALID', `${this.path}: advisory row ${rid} disappeared`);
      doc = JSON.parse(row.doc) as AdvisoryDoc;
      if (this.docs.size >= MAX_CACHED_DOCS) this.docs.clear();
      this.docs.set(rid, doc);
    }
    return doc;
  }

  /** Drops what this handle remembers of the advisories: they are being written. */
  private forget(): void {
    this.known = undefined;
    if (this.entryCache.size) this.entryCache.clear();
    if (this.related.size) this.related.clear();
    if (this.docs.size) this.docs.clear();
  }

  /** Removes advisories of `origin` that a complete export no longer lists. */
  pruneOrigin(origin: string, keep: ReadonlySet<string>): number {
    const rows = this.db
      .prepare<[string], { rid: number; id: string }>('SELECT rid, id FROM advisories WHERE origin = ?')
      .all(origin);
    let removed = 0;
    this.forget();
    const del = this.db.prepare('DELETE FROM advisories WHERE rid = ?');
    for (const r of rows) {
      if (!keep.has(r.id)) {
        this.stmts.deleteAffected.run(r.rid);
        this.stmts.deleteAliases.run(r.rid);
        del.run(r.rid);
        removed++;
      }
    }
    return removed;
  }

  /**
   * The live advisories that share an id with advisory `id`: those its `ids` (aliases, upstream)
   * name, and those listing `id` or one of `ids` among their own aliases or upstream ids; by id.
   */
  relatedAdvisories(id: string, ids: readonly string[]): AdvisoryDoc[] {
    const key = `${id}\u0000${ids.join('\u0000')}`;
    let rids = this.related.get(key);
    if (!rids) {
      rids = this.stmts.related.all({ ids: JSON.stringify(ids), id }).map((r) => r.rid);
      if (this.related.size > 20_000) this.related.clear();
      this.related.set(key, rids);
    }
    return rids.map((rid) => this.advisoryDoc(rid));
  }

  private readonly related = new Map<string, readonly number[]>();

  /** Whether the database holds any live advisory (one probe, unlike `counts`). */
  hasLiveAdvisories(): boolean {
    return this.stmts.anyLive.get() !== undefined;
  }

  private known: readonly string[] | undefined;

  /** Every ecosystem an affected entry has named (`Debian:12`, `Ubuntu:Pro:22.04:LTS`...), sorted; read once. */
  knownEcosystems(): readonly string[] {
    this.known ??= this.db
      .prepare<[], { name: string }>('SELECT name FROM ecosystems ORDER BY name')
      .all()
      .map((r) => r.name);
    return this.known;
  }

  /** Whether any live advisory names a package of `ecosystem` (exact: `Rocky Linux:9`); one index probe. */
  hasEcosystem(ecosystem: string): boolean {
    return this.stmts.hasEcosystem.get(ecosystem) !== undefined;
  }

  counts(): {
    advisories: number;
    withdrawn: number;
    ecosystems: { ecosystem: string; advisories: number }[];
  } {
    const total = this.db
      .prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM advisories WHERE withdrawn IS NULL')
      .get()!.n;
    const withdrawn = this.db
      .prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM advisories WHERE withdrawn IS NOT NULL')
      .get()!.n;
    const ecosystems = this.db
      .prepare<[], { ecosystem: string; n: number }>(
        'SELECT ecosystem, COUNT(DISTINCT advisory_rid) AS n FROM affected GROUP BY ecosystem ORDER BY ecosystem',
      )
      .all()
      .map((r) => ({ ecosystem: r.ecosystem, advisories: r.n }));
    return { advisories: total, withdrawn, ecosystems };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toEntry(r: EntryRow): MatchEntry {
  return {
    advisoryId: r.id,
    rid: r.rid,
    row: r.row,
    ranges: JSON.parse(r.ranges) as OsvRange[],
    versions: r.versions === null ? NO_VERSIONS : (JSON.parse(r.versions) as string[]),
    data: r.data,
  };
}

export function openAdvisoryDb(path: string, opts: { readonly?: boolean } = {}): AdvisoryDb {
  return new AdvisoryDb(path, opts);
}
