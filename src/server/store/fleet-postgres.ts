import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ScanResult } from '../../core/index.js';
import { ServerError } from '../errors.js';
import {
  deliveryFromRaw,
  LATEST_RESULT_SQL,
  latestFromRaw,
  rematchFromRaw,
  rematchImageFromRaw,
  targetFromRaw,
  updateFromRaw,
} from './fleet-sqlite.js';
import type {
  AdvisoryUpdateRow,
  ClaimedDelivery,
  Delivery,
  LatestResult,
  NotificationTarget,
  OutboxStore,
  RematchImage,
  RematchRow,
  RematchStore,
} from './fleet-types.js';
import { now, resultRows } from './rows.js';

type Raw = Record<string, unknown>;
type Client = pg.PoolClient;

/** Queries and transactions on the store's pool, failing as the store does (DATABASE, not a user error). */
class Pg {
  constructor(private readonly pool: pg.Pool) {}

  async q(sql: string, args: unknown[] = []): Promise<Raw[]> {
    try {
      return (await this.pool.query(sql, args)).rows as Raw[];
    } catch (cause) {
      throw dbError(cause);
    }
  }

  async tx<T>(body: (c: Client) => Promise<T>): Promise<T> {
    let client: Client;
    try {
      client = await this.pool.connect();
    } catch (cause) {
      throw new ServerError('DATABASE', 'PostgreSQL: cannot connect', { cause, userError: false });
    }
    try {
      await client.query('BEGIN');
      const out = await body(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err instanceof ServerError ? err : dbError(err);
    } finally {
      client.release();
    }
  }
}

function dbError(cause: unknown): ServerError {
  return new ServerError(
    'DATABASE',
    `PostgreSQL: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause, userError: false },
  );
}

const dollar = (n: number) => `$${n}`;
/** one advisory lock per kind of serialized write */
const UPDATE_LOCK = 7361727462;

export class PostgresRematchStore implements RematchStore {
  private readonly pg: Pg;
  constructor(pool: pg.Pool) {
    this.pg = new Pg(pool);
  }

  async recordAdvisoryUpdate(row: {
    id: string;
    jobId: string;
    source: object;
    summary: object;
  }): Promise<AdvisoryUpdateRow> {
    return this.pg.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [UPDATE_LOCK]);
      const had = await c.query('SELECT * FROM advisory_updates WHERE job_id = $1', [row.jobId]);
      if (had.rows[0]) return updateFromRaw(had.rows[0]);
      const r = await c.query(
        `INSERT INTO advisory_updates (id, version, job_id, source, summary, created_at)
         SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5 FROM advisory_updates RETURNING *`,
        [row.id, row.jobId, JSON.stringify(row.source), JSON.stringify(row.summary), now()],
      );
      return updateFromRaw(r.rows[0]);
    });
  }

  async latestAdvisoryUpdate(): Promise<AdvisoryUpdateRow | undefined> {
    const [r] = await this.pg.q('SELECT * FROM advisory_updates ORDER BY version DESC LIMIT 1');
    return r ? updateFromRaw(r) : undefined;
  }

  async listAdvisoryUpdates(limit: number): Promise<AdvisoryUpdateRow[]> {
    return (await this.pg.q('SELECT * FROM advisory_updates ORDER BY version DESC LIMIT $1', [limit])).map(
      updateFromRaw,
    );
  }

  async inventoryDigests(): Promise<string[]> {
    return (await this.pg.q('SELECT digest FROM inventories ORDER BY digest')).map((r) => String(r.digest));
  }

  async latestResult(digest: string, except = ''): Promise<LatestResult | undefined> {
    const [r] = await this.pg.q(LATEST_RESULT_SQL(dollar), [digest, except]);
    return r ? latestFromRaw(r) : undefined;
  }

  async recordRematchImage(
    rematchId: string,
    image: RematchImage & { result?: ScanResult; scanners: readonly string[] },
  ): Promise<void> {
    await this.pg.tx(async (c) => {
      const claimed = await c.query(
        `INSERT INTO rematch_images (rematch_id, digest, target, previous_scan, scan_id, new_findings, fixed)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (rematch_id, digest) DO NOTHING RETURNING digest`,
        [
          rematchId,
          image.digest,
          image.target,
          image.previousScan ?? null,
          image.scan ?? null,
          JSON.stringify(image.newFindings),
          image.fixed,
        ],
      );
      if (!claimed.rowCount || !image.result || !image.scan) return;
      const resultId = await insertResult(c, image.result, image.scanners);
      const t = now();
      await c.query(
        `INSERT INTO jobs (id, type, payload, status, attempts, max_attempts, created_at, started_at, finished_at, result_id)
         VALUES ($1, 'rematch-image', $2, 'done', 1, 1, $3, $3, $3, $4) ON CONFLICT (id) DO NOTHING`,
        [
          image.scan,
          JSON.stringify({ target: image.target, digest: image.digest, rematch: rematchId }),
          t,
          resultId,
        ],
      );
    });
  }

  async finishRematch(row: Omit<RematchRow, 'items' | 'createdAt'>): Promise<void> {
    await this.pg.q(
      `INSERT INTO rematches (id, update_id, advisory_version, images, changed, affected, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [
        row.id,
        row.updateId ?? null,
        row.advisoryVersion ?? null,
        row.images,
        row.changed,
        row.affected,
        now(),
      ],
    );
  }

  async getRematch(id: string): Promise<RematchRow | undefined> {
    const [r] = await this.pg.q('SELECT * FROM rematches WHERE id = $1', [id]);
    if (!r) return undefined;
    return { ...rematchFromRaw(r), items: await this.rematchImages(id) };
  }

  async rematchImages(rematchId: string): Promise<RematchImage[]> {
    return (
      await this.pg.q('SELECT * FROM rematch_images WHERE rematch_id = $1 ORDER BY target, digest', [
        rematchId,
      ])
    ).map(rematchImageFromRaw);
  }

  async listRematches(limit: number): Promise<Omit<RematchRow, 'items'>[]> {
    return (await this.pg.q('SELECT * FROM rematches ORDER BY created_at DESC, id LIMIT $1', [limit])).map(
      rematchFromRaw,
    );
  }
}

async function insertResult(c: Client, result: ScanResult, scanners: readonly string[]): Promise<string> {
  const rows = resultRows(result, scanners);
  const inserted = await c.query(
    `INSERT INTO results (id, dedup_key, digest, scanners, target, result, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
    [randomUUID(), rows.dedupKey, rows.digest, rows.scanners, rows.target, rows.json, now()],
  );
  const id = String(
    inserted.rows[0]?.id ??
      (await c.query('SELECT id FROM results WHERE dedup_key = $1', [rows.dedupKey])).rows[0]?.id,
  );
  if (inserted.rowCount)
    for (const f of rows.findings)
      await c.query(
        'INSERT INTO findings (result_id, advisory, aliases, package, version, severity, kind, finding, cluster, namespace) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [id, f.advisory, f.aliases, f.package, f.version, f.severity, f.kind, f.json, f.cluster, f.namespace],
      );
  return id;
}

export class PostgresOutboxStore implements OutboxStore {
  private readonly pg: Pg;
  constructor(pool: pg.Pool) {
    this.pg = new Pg(pool);
  }

  async putTarget(row: Omit<NotificationTarget, 'createdAt'>): Promise<void> {
    await this.pg.q(
      'INSERT INTO notification_targets (id, name, url, format, events, origin, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [row.id, row.name, row.url, row.format, JSON.stringify(row.events), row.origin, now()],
    );
  }

  async listTargets(): Promise<NotificationTarget[]> {
    return (await this.pg.q('SELECT * FROM notification_targets ORDER BY created_at, id')).map(targetFromRaw);
  }

  async deleteTarget(id: string): Promise<boolean> {
    return (await this.pg.q('DELETE FROM notification_targets WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  async replaceConfigTargets(
    rows: readonly Omit<NotificationTarget, 'createdAt' | 'origin'>[],
  ): Promise<void> {
    await this.pg.tx(async (c) => {
      await c.query(`DELETE FROM notification_targets WHERE origin = 'config'`);
      for (const r of rows)
        await c.query(
          `INSERT INTO notification_targets (id, name, url, format, events, origin, created_at)
           VALUES ($1, $2, $3, $4, $5, 'config', $6) ON CONFLICT (id) DO NOTHING`,
          [r.id, r.name, r.url, r.format, JSON.stringify(r.events), now()],
        );
    });
  }

  async enqueue(
    rows: readonly { id: string; targetId: string; key: string; event: object }[],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    return this.pg.tx(async (c) => {
      let n = 0;
      for (const r of rows) {
        const res = await c.query(
          `INSERT INTO outbox (id, target_id, idempotency_key, event, status, next_at, created_at)
           VALUES ($1, $2, $3, $4, 'pending', $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
          [r.id, r.targetId, r.key, JSON.stringify(r.event), Date.now(), now()],
        );
        n += res.rowCount ?? 0;
      }
      return n;
    });
  }

  async claimDeliveries(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
    const t = Date.now();
    const lease = randomUUID();
    const rows = await this.pg.q(
      `UPDATE outbox SET status = 'delivering', lease = $1, lease_until = $2, attempts = attempts + 1
       WHERE id IN (SELECT id FROM outbox WHERE (status = 'pending' AND next_at <= $3)
         OR (status = 'delivering' AND lease_until < $3) ORDER BY next_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [lease, t + leaseSeconds * 1000, t, limit],
    );
    return rows.map((r) => ({ ...deliveryFromRaw(r), lease }));
  }

  async deliveryDone(id: string, lease: string): Promise<boolean> {
    return (
      (
        await this.pg.q(
          `UPDATE outbox SET status = 'delivered', delivered_at = $1, lease = NULL, error = NULL
           WHERE id = $2 AND lease = $3 AND status = 'delivering' RETURNING id`,
          [now(), id, lease],
        )
      ).length > 0
    );
  }

  async deliveryFailed(
    id: string,
    lease: string,
    error: string,
    retryAt: number | undefined,
  ): Promise<boolean> {
    return (
      (
        await this.pg.q(
          `UPDATE outbox SET status = $1, next_at = $2, error = $3, lease = NULL, lease_until = NULL
           WHERE id = $4 AND lease = $5 AND status = 'delivering' RETURNING id`,
          [retryAt === undefined ? 'failed' : 'pending', retryAt ?? Date.now(), error, id, lease],
        )
      ).length > 0
    );
  }

  async listDeliveries(limit: number): Promise<Delivery[]> {
    return (await this.pg.q('SELECT * FROM outbox ORDER BY created_at DESC, id LIMIT $1', [limit])).map(
      deliveryFromRaw,
    );
  }
}
