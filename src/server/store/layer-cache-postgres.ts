import type pg from 'pg';
import {
  DEFAULT_LAYER_CACHE_LIMITS,
  EVICT_SQL,
  type LayerCache,
  type LayerCacheLimits,
} from '../../image/index.js';

/** milliseconds on the database's clock, so every worker's "last used" is on one clock */
const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/**
 * The layer cache in PostgreSQL (`layer_cache`, migration 5), shared by every worker: a hit
 * marks the row used in the same statement; concurrent writers of one layer upsert one row;
 * eviction keeps the newest rows within the total cap.
 */
export class PostgresLayerCache implements LayerCache {
  readonly kind = 'postgres';

  constructor(
    private readonly pool: pg.Pool,
    private readonly limits: LayerCacheLimits = DEFAULT_LAYER_CACHE_LIMITS,
  ) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    const r = await this.pool.query(
      `UPDATE layer_cache SET last_used = ${NOW_MS} WHERE key = $1 RETURNING data`,
      [key],
    );
    return (r.rows[0] as { data: Buffer } | undefined)?.data;
  }

  async put(key: string, diffId: string, data: Uint8Array): Promise<boolean> {
    if (data.byteLength > this.limits.maxEntryBytes) return false;
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await this.pool.query(
      `INSERT INTO layer_cache (key, diff_id, size, data, created_at, last_used)
       VALUES ($1, $2, $3, $4, ${NOW_MS}, ${NOW_MS})
       ON CONFLICT (key) DO UPDATE SET size = excluded.size, data = excluded.data, last_used = excluded.last_used`,
      [key, diffId, bytes.length, bytes],
    );
    // one evictor at a time (two overlapping deletes could deadlock); a busy one skips: the next put evicts
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query('SELECT pg_try_advisory_xact_lock(7361727462) AS ok');
      if ((locked.rows[0] as { ok: boolean }).ok) {
        await client.query(EVICT_SQL.replace('$cap', '$1'), [this.limits.maxTotalBytes]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    return true;
  }

  async clear(): Promise<number> {
    return (await this.pool.query('DELETE FROM layer_cache')).rowCount ?? 0;
  }

  async stats(): Promise<{ entries: number; bytes: number }> {
    const r = await this.pool.query('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM layer_cache');
    const row = r.rows[0] as { n: string; b: string };
    return { entries: Number(row.n), bytes: Number(row.b) };
  }

  /** the pool is the store's: closed with it */
  async close(): Promise<void> {}
}
