import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Package, ScanResult } from '../../core/index.js';
import { ServerError } from '../errors.js';
import type { Scope } from '../tokens.js';
import { PostgresWatches } from '../watch/postgres.js';
import type { WatchStore } from '../watch/types.js';
import { CLUSTER_COLUMNS, CLUSTER_SCAN_SELECT, clusterFromRaw, clusterScanFromRaw } from './cluster-rows.js';
import { PostgresOutboxStore, PostgresRematchStore } from './fleet-postgres.js';
import { PostgresLayerCache } from './layer-cache-postgres.js';
import { MIGRATIONS } from './migrations.js';
import { jobFromRaw, now, resultRows, tokenFromRaw } from './rows.js';
import type {
  ClaimedJob,
  ClusterRow,
  ClusterScanRow,
  ClusterSettings,
  CredentialRow,
  FindingHit,
  FindingQuery,
  JobRow,
  JobStatus,
  Store,
  StoredInventory,
  TokenRow,
} from './types.js';

type Raw = Record<string, unknown>;
type Client = pg.PoolClient;

/**
 * The PostgreSQL store: the same tables and contract as SQLite; jobs are claimed with
 * `FOR UPDATE SKIP LOCKED`, so any number of workers on any machines share the queue. The pool
 * reconnects by itself: a query during a database restart fails (the job loop retries), the next
 * one opens a new connection.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  readonly watches: WatchStore;
  readonly rematch: PostgresRematchStore;
  readonly outbox: PostgresOutboxStore;
  readonly layers: PostgresLayerCache;

  constructor(url: string) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: 10_000,
      // a query on a connection the restarted server never answers ends instead of hanging
      query_timeout: 30_000,
      keepAlive: true,
    });
    this.pool.on('error', () => undefined);
    this.watches = new PostgresWatches({
      query: (sql, args) => this.q(sql, args),
      transaction: (body) => this.tx(body),
    });
    this.rematch = new PostgresRematchStore(this.pool);
    this.outbox = new PostgresOutboxStore(this.pool);
    this.layers = new PostgresLayerCache(this.pool);
  }

  private async q(sql: string, args: unknown[] = []): Promise<Raw[]> {
    try {
      return (await this.pool.query(sql, args)).rows as Raw[];
    } catch (cause) {
      throw new ServerError(
        'DATABASE',
        `PostgreSQL: ${cause instanceof Error ? cause.message : String(cause)}`,
        {
          cause,
          userError: false,
        },
      );
    }
  }

  private async tx<T>(body: (c: Client) => Promise<T>): Promise<T> {
    let client: Client;
    try {
      client = await this.pool.connect();
    } catch (cause) {
      throw new ServerError('DATABASE', 'PostgreSQL: cannot connect', { cause, userError: false });
    }
    // The pool listens for errors only on idle clients: a checked-out one whose server goes away
    // (a restart's "terminating connection" message, then the socket's end) would emit an
    // unhandled 'error' and kill the process. The failure reaches the body's pending query anyway;
    // the broken client is released with it so the pool drops it.
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken ??= err;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const out = await body(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      if (broken && !(err instanceof ServerError)) {
        throw new ServerError('DATABASE', `PostgreSQL: ${broken.message}`, { cause: err, userError: false });
      }
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async migrate(): Promise<number> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(7361727461)');
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)',
      );
      const done = new Set(
        (await c.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)),
      );
      let applied = 0;
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(m.postgres);
        await c.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [m.version, m.name, now()]);
        applied += 1;
      }
      return applied;
    });
  }

  async ping(): Promise<void> {
    await this.q('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async createToken(row: { id: string; name: string; scope: Scope; hash: string }): Promise<void> {
    await this.q('INSERT INTO tokens (id, name, scope, hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
      row.id,
      row.name,
      row.scope,
      row.hash,
      now(),
    ]);
  }

  async findTokenByHash(hash: string): Promise<TokenRow | undefined> {
    const [r] = await this.q('SELECT * FROM tokens WHERE hash = $1 AND revoked_at IS NULL', [hash]);
    return r ? tokenFromRaw(r) : undefined;
  }

  async listTokens(): Promise<TokenRow[]> {
    return (await this.q('SELECT * FROM tokens ORDER BY created_at, id')).map(tokenFromRaw);
  }

  async revokeToken(id: string): Promise<boolean> {
    return (
      (
        await this.q('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id', [
          now(),
          id,
        ])
      ).length > 0
    );
  }

  async putCredential(row: {
    id: string;
    registry: string;
    username: string;
    password: string;
  }): Promise<void> {
    await this.q(
      `INSERT INTO credentials (id, registry, username, password, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (registry) DO UPDATE SET id = excluded.id, username = excluded.username,
       password = excluded.password, created_at = excluded.created_at`,
      [row.id, row.registry, row.username, row.password, now()],
    );
  }

  async listCredentials(): Promise<CredentialRow[]> {
    return (await this.q('SELECT id, registry, username, created_at FROM credentials ORDER BY registry')).map(
      (r) => ({
        id: String(r.id),
        registry: String(r.registry),
        username: String(r.username),
        createdAt: String(r.created_at),
      }),
    );
  }

  async credentialFor(registry: string): Promise<{ username: string; password: string } | undefined> {
    const [r] = await this.q('SELECT username, password FROM credentials WHERE registry = $1', [registry]);
    return r ? { username: String(r.username), password: String(r.password) } : undefined;
  }

  async deleteCredential(id: string): Promise<boolean> {
    return (await this.q('DELETE FROM credentials WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  async insertJob(row: {
    id: string;
    type: string;
    payload: Record<string, unknown>;
    maxAttempts: number;
  }): Promise<void> {
    await this.q(
      'INSERT INTO jobs (id, type, payload, status, max_attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [row.id, row.type, JSON.stringify(row.payload), 'queued', row.maxAttempts, now()],
    );
  }

  async getJob(id: string): Promise<JobRow | undefined> {
    const [r] = await this.q('SELECT * FROM jobs WHERE id = $1', [id]);
    return r ? jobFromRaw(r) : undefined;
  }

  async listJobs(options: { limit: number; status?: JobStatus }): Promise<JobRow[]> {
    const rows = options.status
      ? await this.q('SELECT * FROM jobs WHERE status = $1 ORDER BY created_at DESC, id LIMIT $2', [
          options.status,
          options.limit,
        ])
      : await this.q('SELECT * FROM jobs ORDER BY created_at DESC, id LIMIT $1', [options.limit]);
    return rows.map(jobFromRaw);
  }

  async claimJob(types: readonly string[], leaseSeconds: number): Promise<ClaimedJob | undefined> {
    if (types.length === 0) return undefined;
    const t = Date.now();
    await this.q(
      `UPDATE jobs SET status = 'failed', finished_at = $1, lease = NULL,
       error = COALESCE(error, 'the worker holding the job stopped') || ' (after ' || attempts || ' attempts)'
       WHERE status = 'running' AND lease_until < $2 AND attempts >= max_attempts`,
      [now(), t],
    );
    const lease = randomUUID();
    const [r] = await this.q(
      `UPDATE jobs SET status = 'running', lease = $1, lease_until = $2, started_at = $3, attempts = attempts + 1
       WHERE id = (SELECT id FROM jobs WHERE type = ANY($4)
         AND (status = 'queued' OR (status = 'running' AND lease_until < $5))
         ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [lease, t + leaseSeconds * 1000, now(), [...types], t],
    );
    return r ? { ...jobFromRaw(r), lease } : undefined;
  }

  async startJob(id: string, lease: string, leaseSeconds: number): Promise<ClaimedJob | undefined> {
    const [r] = await this.q(
      `UPDATE jobs SET status = 'running', lease = $1, lease_until = $2, started_at = $3, attempts = attempts + 1
       WHERE id = $4 AND status IN ('queued', 'running') RETURNING *`,
      [lease, Date.now() + leaseSeconds * 1000, now(), id],
    );
    return r ? { ...jobFromRaw(r), lease } : undefined;
  }

  async extendLease(id: string, lease: string, leaseSeconds: number): Promise<boolean> {
    const rows = await this.q(
      `UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease = $3 AND status = 'running' RETURNING id`,
      [Date.now() + leaseSeconds * 1000, id, lease],
    );
    return rows.length > 0;
  }

  async completeJob(
    id: string,
    lease: string,
    result: ScanResult | undefined,
    scanners: readonly string[],
  ): Promise<boolean> {
    if (!result)
      return (
        (
          await this.q(
            `UPDATE jobs SET status = 'done', finished_at = $1, lease = NULL, error = NULL
             WHERE id = $2 AND lease = $3 AND status = 'running' RETURNING id`,
            [now(), id, lease],
          )
        ).length > 0
      );
    const rows = resultRows(result, scanners);
    return this.tx(async (c) => {
      const held = await c.query(
        `SELECT 1 FROM jobs WHERE id = $1 AND lease = $2 AND status = 'running' FOR UPDATE`,
        [id, lease],
      );
      if (held.rowCount === 0) return false;
      const inserted = await c.query(
        `INSERT INTO results (id, dedup_key, digest, scanners, target, result, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
        [randomUUID(), rows.dedupKey, rows.digest, rows.scanners, rows.target, rows.json, now()],
      );
      const resultId = String(
        inserted.rows[0]?.id ??
          (await c.query('SELECT id FROM results WHERE dedup_key = $1', [rows.dedupKey])).rows[0]?.id,
      );
      if (inserted.rowCount)
        for (const f of rows.findings)
          await c.query(
            'INSERT INTO findings (result_id, advisory, aliases, package, version, severity, kind, finding, cluster, namespace) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
            [
              resultId,
              f.advisory,
              f.aliases,
              f.package,
              f.version,
              f.severity,
              f.kind,
              f.json,
              f.cluster,
              f.namespace,
            ],
          );
      if (rows.digest)
        await c.query(
          `INSERT INTO inventories (digest, target, packages, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (digest) DO UPDATE SET target = excluded.target, packages = excluded.packages, updated_at = excluded.updated_at`,
          [rows.digest, rows.target, JSON.stringify(result.packages), now()],
        );
      await c.query(
        `UPDATE jobs SET status = 'done', result_id = $1, finished_at = $2, lease = NULL, error = NULL WHERE id = $3`,
        [resultId, now(), id],
      );
      return true;
    });
  }

  async failJob(id: string, lease: string, error: string): Promise<JobStatus | undefined> {
    const [r] = await this.q(
      `UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
       error = $1, lease = NULL, lease_until = NULL,
       finished_at = CASE WHEN attempts >= max_attempts THEN $2 ELSE NULL END
       WHERE id = $3 AND lease = $4 AND status = 'running' RETURNING status`,
      [error, now(), id, lease],
    );
    return r ? (String(r.status) as JobStatus) : undefined;
  }

  async releaseJob(id: string, lease: string): Promise<void> {
    await this.q(
      `UPDATE jobs SET status = 'queued', lease = NULL, lease_until = NULL, attempts = GREATEST(attempts - 1, 0)
       WHERE id = $1 AND lease = $2 AND status = 'running'`,
      [id, lease],
    );
  }

  async getResult(resultId: string): Promise<ScanResult | undefined> {
    const [r] = await this.q('SELECT result FROM results WHERE id = $1', [resultId]);
    return r ? (r.result as ScanResult) : undefined;
  }

  async queueDepth(): Promise<Record<JobStatus, number>> {
    const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of await this.q('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status'))
      out[String(r.status) as JobStatus] = Number(r.n);
    return out;
  }

  async findFindings(q: FindingQuery): Promise<FindingHit[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (q.advisory)
      where.push(`(f.advisory = ${arg(q.advisory)} OR f.aliases LIKE ${arg(`%|${q.advisory}|%`)})`);
    if (q.package) where.push(`f.package = ${arg(q.package)}`);
    if (q.version) where.push(`f.version = ${arg(q.version)}`);
    if (q.severity) where.push(`f.severity = ${arg(q.severity)}`);
    if (q.image) where.push(`(r.target = ${arg(q.image)} OR r.digest = ${arg(q.image)})`);
    if (q.cluster) where.push(`f.cluster = ${arg(q.cluster)}`);
    if (q.namespace) where.push(`f.namespace = ${arg(q.namespace)}`);
    const sql = `SELECT j.id AS scan_id, r.target, r.digest, f.finding FROM findings f
      JOIN results r ON r.id = f.result_id JOIN jobs j ON j.result_id = r.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.created_at DESC, j.id LIMIT ${arg(q.limit)}`;
    return (await this.q(sql, args)).map((r) => ({
      scanId: String(r.scan_id),
      image: String(r.target),
      ...(r.digest ? { digest: String(r.digest) } : {}),
      finding: r.finding as FindingHit['finding'],
    }));
  }

  async getInventory(digest: string): Promise<StoredInventory | undefined> {
    const [r] = await this.q('SELECT * FROM inventories WHERE digest = $1', [digest]);
    return r ? inventoryFromRaw(r) : undefined;
  }

  async listInventories(): Promise<StoredInventory[]> {
    return (await this.q('SELECT * FROM inventories ORDER BY digest')).map(inventoryFromRaw);
  }

  async putCluster(row: {
    id: string;
    name: string;
    kubeconfig: string;
    settings: ClusterSettings;
    watchSeconds?: number;
    nextScanAt?: number;
  }): Promise<boolean> {
    const rows = await this.q(
      `INSERT INTO clusters (id, name, kubeconfig, settings, watch_seconds, next_scan_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [
        row.id,
        row.name,
        row.kubeconfig,
        JSON.stringify(row.settings),
        row.watchSeconds ?? null,
        row.nextScanAt ?? null,
        now(),
      ],
    );
    return rows.length > 0;
  }

  async listClusters(): Promise<ClusterRow[]> {
    return (await this.q(`SELECT ${CLUSTER_COLUMNS} FROM clusters ORDER BY name`)).map(clusterFromRaw);
  }

  async getCluster(id: string): Promise<ClusterRow | undefined> {
    const [r] = await this.q(`SELECT ${CLUSTER_COLUMNS} FROM clusters WHERE id = $1`, [id]);
    return r ? clusterFromRaw(r) : undefined;
  }

  async clusterKubeconfig(id: string): Promise<string | undefined> {
    const [r] = await this.q('SELECT kubeconfig FROM clusters WHERE id = $1', [id]);
    return r ? String(r.kubeconfig) : undefined;
  }

  async deleteCluster(id: string): Promise<boolean> {
    return (await this.q('DELETE FROM clusters WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  async dueClusters(nowMs: number): Promise<ClusterRow[]> {
    return (
      await this.q(
        `SELECT ${CLUSTER_COLUMNS} FROM clusters WHERE watch_seconds IS NOT NULL AND next_scan_at <= $1 ORDER BY next_scan_at, id`,
        [nowMs],
      )
    ).map(clusterFromRaw);
  }

  async scheduleClusterScan(
    id: string,
    expected: number | undefined,
    next: number | undefined,
    jobId: string,
  ): Promise<boolean> {
    const rows = await this.q(
      `UPDATE clusters SET next_scan_at = $1, last_job_id = $2
       WHERE id = $3 AND next_scan_at IS NOT DISTINCT FROM $4 RETURNING id`,
      [next ?? null, jobId, id, expected ?? null],
    );
    return rows.length > 0;
  }

  async recordClusterScan(row: {
    jobId: string;
    clusterId: string;
    images: unknown;
    changes: unknown;
  }): Promise<void> {
    await this.q(
      `INSERT INTO cluster_scans (job_id, cluster_id, images, changes, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (job_id) DO UPDATE SET images = excluded.images, changes = excluded.changes`,
      [row.jobId, row.clusterId, JSON.stringify(row.images), JSON.stringify(row.changes), now()],
    );
  }

  async listClusterScans(clusterId: string, limit: number): Promise<ClusterScanRow[]> {
    return (
      await this.q(
        `${CLUSTER_SCAN_SELECT} WHERE s.cluster_id = $1 ORDER BY s.created_at DESC, s.job_id LIMIT $2`,
        [clusterId, limit],
      )
    ).map(clusterScanFromRaw);
  }

  async previousClusterScan(clusterId: string, exceptJobId: string): Promise<ClusterScanRow | undefined> {
    const [r] = await this.q(
      `${CLUSTER_SCAN_SELECT} WHERE s.cluster_id = $1 AND s.job_id <> $2 AND j.status = 'done'
       ORDER BY j.finished_at DESC, s.created_at DESC LIMIT 1`,
      [clusterId, exceptJobId],
    );
    return r ? clusterScanFromRaw(r) : undefined;
  }

  async putInventory(digest: string, target: string, packages: readonly Package[]): Promise<void> {
    await this.q(
      `INSERT INTO inventories (digest, target, packages, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (digest) DO UPDATE SET target = excluded.target, packages = excluded.packages, updated_at = excluded.updated_at`,
      [digest, target, JSON.stringify(packages), now()],
    );
  }
}

function inventoryFromRaw(r: Raw): StoredInventory {
  return {
    digest: String(r.digest),
    target: String(r.target),
    packages: r.packages as StoredInventory['packages'],
    updatedAt: String(r.updated_at),
  };
}
