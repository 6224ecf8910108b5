import type BetterSqlite3 from 'better-sqlite3';

/**
 * Where analysed layers are kept (see layer-record.ts for what an entry holds). Keys are
 * `<diffID>/<analyzer key>`; values are opaque encoded entries. Implementations bound the size of
 * one entry and of the whole cache (evicting the least recently used), and keep one row per key
 * however many writers race.
 */
export interface LayerCache {
  /** `sqlite`, `memory`, `postgres`: named in debug lines */
  readonly kind: string;
  /** the entry, marked used now; undefined when absent */
  get(key: string): Promise<Uint8Array | undefined>;
  /** stores or replaces the entry; false when it is over the entry cap (nothing stored) */
  put(key: string, diffId: string, data: Uint8Array): Promise<boolean>;
  /** removes every entry; the number removed */
  clear(): Promise<number>;
  /** entries and their total encoded size */
  stats(): Promise<{ entries: number; bytes: number }>;
  close(): Promise<void>;
}

export interface LayerCacheLimits {
  /** an entry larger than this is not stored */
  readonly maxEntryBytes: number;
  /** past this total, the least recently used entries are removed */
  readonly maxTotalBytes: number;
}

export const DEFAULT_LAYER_CACHE_LIMITS: LayerCacheLimits = {
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
};

/** A cache for one process (`--cache-backend memory`): a Map kept in least-recently-used order. */
export class MemoryLayerCache implements LayerCache {
  readonly kind = 'memory';
  private readonly entries = new Map<string, Uint8Array>();
  private total = 0;

  constructor(private readonly limits: LayerCacheLimits = DEFAULT_LAYER_CACHE_LIMITS) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    const data = this.entries.get(key);
    if (data === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, data);
    return data;
  }

  async put(key: string, _diffId: string, data: Uint8Array): Promise<boolean> {
    if (data.byteLength > this.limits.maxEntryBytes) return false;
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.byteLength;
      this.entries.delete(key);
    }
    this.entries.set(key, data);
    this.total += data.byteLength;
    for (const [k, v] of this.entries) {
      if (this.total <= this.limits.maxTotalBytes || k === key) break;
      this.entries.delete(k);
      this.total -= v.byteLength;
    }
    return true;
  }

  async clear(): Promise<number> {
    const n = this.entries.size;
    this.entries.clear();
    this.total = 0;
    return n;
  }

  async stats(): Promise<{ entries: number; bytes: number }> {
    return { entries: this.entries.size, bytes: this.total };
  }

  async close(): Promise<void> {}
}

/** The table, in SQLite and PostgreSQL alike (`blob` is BLOB or BYTEA). */
export function layerCacheTableSql(blob: string): string {
  return `
CREATE TABLE IF NOT EXISTS layer_cache (
  key TEXT PRIMARY KEY, diff_id TEXT NOT NULL, size BIGINT NOT NULL, data ${blob} NOT NULL,
  created_at BIGINT NOT NULL, last_used BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS layer_cache_lru ON layer_cache (last_used);
`;
}

/**
 * Rows past the total cap, oldest use first: the newest rows whose running size stays within
 * the cap are kept (the entry just written is the newest, so it stays).
 */
export const EVICT_SQL = `
DELETE FROM layer_cache WHERE key IN (
  SELECT key FROM (
    SELECT key, SUM(size) OVER (ORDER BY last_used DESC, key DESC) AS running FROM layer_cache
  ) ranked WHERE running > $cap
)`;

/**
 * The layer cache in SQLite: the CLI's own file (`<cache dir>/layers.db`) or the embedded
 * server's database (the `layer_cache` table of its migrations). WAL and a busy timeout let
 * several scans share one file; an upsert keeps one row per key.
 */
export class SqliteLayerCache implements LayerCache {
  readonly kind = 'sqlite';
  private readonly getStmt: BetterSqlite3.Statement;
  private readonly touchStmt: BetterSqlite3.Statement;
  private readonly putStmt: BetterSqlite3.Statement;
  private readonly evictStmt: BetterSqlite3.Statement;
  private last = 0;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly limits: LayerCacheLimits = DEFAULT_LAYER_CACHE_LIMITS,
    private readonly owned = false,
  ) {
    this.getStmt = db.prepare('SELECT data FROM layer_cache WHERE key = ?');
    this.touchStmt = db.prepare('UPDATE layer_cache SET last_used = ? WHERE key = ?');
    this.putStmt = db.prepare(
      `INSERT INTO layer_cache (key, diff_id, size, data, created_at, last_used) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET size = excluded.size, data = excluded.data, last_used = excluded.last_used`,
    );
    this.evictStmt = db.prepare(EVICT_SQL.replace('$cap', '?'));
  }

  /** a clock that never repeats within this process, so LRU order is exact between close uses */
  private now(): number {
    this.last = Math.max(Date.now(), this.last + 1);
    return this.last;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const row = this.getStmt.get(key) as { data: Buffer } | undefined;
    if (!row) return undefined;
    this.touchStmt.run(this.now(), key);
    return row.data;
  }

  async put(key: string, diffId: string, data: Uint8Array): Promise<boolean> {
    if (data.byteLength > this.limits.maxEntryBytes) return false;
    const t = this.now();
    this.db.transaction(() => {
      this.putStmt.run(key, diffId, data.byteLength, data, t, t);
      this.evictStmt.run(this.limits.maxTotalBytes);
    })();
    return true;
  }

  async clear(): Promise<number> {
    return this.db.prepare('DELETE FROM layer_cache').run().changes;
  }

  async stats(): Promise<{ entries: number; bytes: number }> {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM layer_cache')
      .get() as {
      n: number;
      b: number;
    };
    return { entries: Number(row.n), bytes: Number(row.b) };
  }

  async close(): Promise<void> {
    if (this.owned) this.db.close();
  }
}
