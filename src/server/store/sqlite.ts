import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Package, ScanResult } from '../../core/index.js';
import { type LayerCache, SqliteLayerCache } from '../../image/index.js';
import { ServerError } from '../errors.js';
import type { Scope } from '../tokens.js';
import { SqliteWatches } from '../watch/sqlite.js';
import type { WatchStore } from '../watch/types.js';
import { CLUSTER_COLUMNS, CLUSTER_SCAN_SELECT, clusterFromRaw, clusterScanFromRaw } from './cluster-rows.js';
import { SqliteOutboxStore, SqliteRematchStore } from './fleet-sqlite.js';
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

/** The embedded store: one SQLite file (WAL), also the queue of the in-process worker. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  readonly watches: WatchStore;
  readonly rematch: SqliteRematchStore;
  readonly outbox: SqliteOutboxStore;
  private layerCache: LayerCache | undefined;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      this.db = new Database(file);
    } catch (cause) {
      throw new ServerError('DATABASE', `${file}: cannot open the server database`, { cause });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.watches = new SqliteWatches(this.db);
    this.rematch = new SqliteRematchStore(this.db);
    this.outbox = new SqliteOutboxStore(this.db);
  }

  async migrate(): Promise<number> {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)',
    );
    const done = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as Raw[]).map((r) => Number(r.version)),
    );
    let applied = 0;
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sqlite);
        this.db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, now());
      })();
      applied += 1;
    }
    return applied;
  }

  /** prepared on first use: the table exists once `migrate()` ran */
  get layers(): LayerCache {
    this.layerCache ??= new SqliteLayerCache(this.db);
    return this.layerCache;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async createToken(row: { id: string; name: string; scope: Scope; hash: string }): Promise<void> {
    this.db
      .prepare('INSERT INTO tokens (id, name, scope, hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(row.id, row.name, row.scope, row.hash, now());
  }

  async findTokenByHash(hash: string): Promise<TokenRow | undefined> {
    const r = this.db.prepare('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL').get(hash) as
      | Raw
      | undefined;
    return r ? tokenFromRaw(r) : undefined;
  }

  async listTokens(): Promise<TokenRow[]> {
    return (this.db.prepare('SELECT * FROM tokens ORDER BY created_at, id').all() as Raw[]).map(tokenFromRaw);
  }

  async revokeToken(id: string): Promise<boolean> {
    return (
      this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now(), id)
        .changes > 0
    );
  }

  async putCredential(row: {
    id: string;
    registry: string;
    username: string;
    password: string;
  }): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO credentials (id, registry, username, password, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (registry) DO UPDATE SET id = excluded.id, username = excluded.username,
         password = excluded.password, created_at = excluded.created_at`,
      )
      .run(row.id, row.registry, row.username, row.password, now());
  }

  async listCredentials(): Promise<CredentialRow[]> {
    return (
      this.db
        .prepare('SELECT id, registry, username, created_at FROM credentials ORDER BY registry')
        .all() as Raw[]
    ).map((r) => ({
      id: String(r.id),
      registry: String(r.registry),
      username: String(r.username),
      createdAt: String(r.created_at),
    }));
  }

  async credentialFor(registry: string): Promise<{ username: string; password: string } | undefined> {
    const r = this.db
      .prepare('SELECT username, password FROM credentials WHERE registry = ?')
      .get(registry) as Raw | undefined;
    return r ? { username: String(r.username), password: String(r.password) } : undefined;
  }

  async deleteCredential(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM credentials WHERE id = ?').run(id).changes > 0;
  }

  async insertJob(row: {
    id: string;
    type: string;
    payload: Record<string, unknown>;
    maxAttempts: number;
  }): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO jobs (id, type, payload, status, max_attempts, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(row.id, row.type, JSON.stringify(row.payload), 'queued', row.maxAttempts, now());
  }

  async getJob(id: string): Promise<JobRow | undefined> {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Raw | undefined;
    return r ? jobFromRaw(r) : undefined;
  }

  async listJobs(options: { limit: number; status?: JobStatus }): Promise<JobRow[]> {
    const rows = options.status
      ? this.db
          .prepare('SELECT * FROM jobs WHERE status = ? ORDER BY created_at DESC, id LIMIT ?')
          .all(options.status, options.limit)
      : this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, id LIMIT ?').all(options.limit);
    return (rows as Raw[]).map(jobFromRaw);
  }

  async claimJob(types: readonly string[], leaseSeconds: number): Promise<ClaimedJob | undefined> {
    if (types.length === 0) return undefined;
    const marks = types.map(() => '?').join(',');
    return this.db.transaction((): ClaimedJob | undefined => {
      const t = Date.now();
      this.db
        .prepare(
          `UPDATE jobs SET status = 'failed', finished_at = ?, lease = NULL,
           error = COALESCE(error, 'the worker holding the job stopped') || ' (after ' || attempts || ' attempts)'
           WHERE status = 'running' AND lease_until < ? AND attempts >= max_attempts`,
        )
        .run(now(), t);
      const r = this.db
        .prepare(
          `SELECT id FROM jobs WHERE type IN (${marks})
           AND (status = 'queued' OR (status = 'running' AND lease_until < ?)) ORDER BY created_at, id LIMIT 1`,
        )
        .get(...types, t) as Raw | undefined;
      if (!r) return undefined;
      return this.lease(String(r.id), randomUUID(), leaseSeconds, true);
    })();
  }

  private lease(id: string, lease: string, leaseSeconds: number, count: boolean): ClaimedJob | undefined {
    const changed = this.db
      .prepare(
        `UPDATE jobs SET status = 'running', lease = ?, lease_until = ?, started_at = ?,
         attempts = attempts + ? WHERE id = ? AND status IN ('queued', 'running')`,
      )
      .run(lease, Date.now() + leaseSeconds * 1000, now(), count ? 1 : 0, id).changes;
    if (changed === 0) return undefined;
    const job = jobFromRaw(this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Raw);
    return { ...job, lease };
  }

  async startJob(id: string, lease: string, leaseSeconds: number): Promise<ClaimedJob | undefined> {
    return this.db.transaction(() => this.lease(id, lease, leaseSeconds, true))();
  }

  async extendLease(id: string, lease: string, leaseSeconds: number): Promise<boolean> {
    return (
      this.db
        .prepare(`UPDATE jobs SET lease_until = ? WHERE id = ? AND lease = ? AND status = 'running'`)
        .run(Date.now() + leaseSeconds * 1000, id, lease).changes > 0
    );
  }

  async completeJob(
    id: string,
    lease: string,
    result: ScanResult | undefined,
    scanners: readonly string[],
  ): Promise<boolean> {
    if (!result)
      return (
        this.db
          .prepare(
            `UPDATE jobs SET status = 'done', finished_at = ?, lease = NULL, error = NULL
             WHERE id = ? AND lease = ? AND status = 'running'`,
          )
          .run(now(), id, lease).changes > 0
      );
    const rows = resultRows(result, scanners);
    return this.db.transaction((): boolean => {
      const held = this.db
        .prepare(`SELECT 1 FROM jobs WHERE id = ? AND lease = ? AND status = 'running'`)
        .get(id, lease);
      if (!held) return false;
      let resultId = (
        this.db.prepare('SELECT id FROM results WHERE dedup_key = ?').get(rows.dedupKey) as Raw | undefined
      )?.id as string | undefined;
      if (!resultId) {
        resultId = randomUUID();
        this.db
          .prepare(
            'INSERT INTO results (id, dedup_key, digest, scanners, target, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(resultId, rows.dedupKey, rows.digest, rows.scanners, rows.target, rows.json, now());
        const insert = this.db.prepare(
          'INSERT INTO findings (result_id, advisory, aliases, package, version, severity, kind, finding, cluster, namespace) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        );
        for (const f of rows.findings)
          insert.run(
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
          );
      }
      if (rows.digest)
        this.db
          .prepare(
            `INSERT INTO inventories (digest, target, packages, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (digest) DO UPDATE SET target = excluded.target, packages = excluded.packages, updated_at = excluded.updated_at`,
          )
          .run(rows.digest, rows.target, JSON.stringify(result.packages), now());
      this.db
        .prepare(
          `UPDATE jobs SET status = 'done', result_id = ?, finished_at = ?, lease = NULL, error = NULL WHERE id = ?`,
        )
        .run(resultId, now(), id);
      return true;
    })();
  }

  async failJob(id: string, lease: string, error: string): Promise<JobStatus | undefined> {
    return this.db.transaction((): JobStatus | undefined => {
      const r = this.db
        .prepare(`SELECT attempts, max_attempts FROM jobs WHERE id = ? AND lease = ? AND status = 'running'`)
        .get(id, lease) as Raw | undefined;
      if (!r) return undefined;
      const status: JobStatus = Number(r.attempts) >= Number(r.max_attempts) ? 'failed' : 'queued';
      this.db
        .prepare(
          'UPDATE jobs SET status = ?, error = ?, lease = NULL, lease_until = NULL, finished_at = ? WHERE id = ?',
        )
        .run(status, error, status === 'failed' ? now() : null, id);
      return status;
    })();
  }

  async releaseJob(id: string, lease: string): Promise<void> {
    this.db
      .prepare(
        `UPDATE jobs SET status = 'queued', lease = NULL, lease_until = NULL, attempts = MAX(attempts - 1, 0)
         WHERE id = ? AND lease = ? AND status = 'running'`,
      )
      .run(id, lease);
  }

  async getResult(resultId: string): Promise<ScanResult | undefined> {
    const r = this.db.prepare('SELECT result FROM results WHERE id = ?').get(resultId) as Raw | undefined;
    return r ? (JSON.parse(String(r.result)) as ScanResult) : undefined;
  }

  async queueDepth(): Promise<Record<JobStatus, number>> {
    const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as Raw[])
      out[String(r.status) as JobStatus] = Number(r.n);
    return out;
  }

  async findFindings(q: FindingQuery): Promise<FindingHit[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.advisory) {
      where.push('(f.advisory = ? OR f.aliases LIKE ?)');
      args.push(q.advisory, `%|${q.advisory}|%`);
    }
    if (q.package) {
      where.push('f.package = ?');
      args.push(q.package);
    }
    if (q.version) {
      where.push('f.version = ?');
      args.push(q.version);
    }
    if (q.severity) {
      where.push('f.severity = ?');
      args.push(q.severity);
    }
    if (q.image) {
      where.push('(r.target = ? OR r.digest = ?)');
      args.push(q.image, q.image);
    }
    if (q.cluster) {
      where.push('f.cluster = ?');
      args.push(q.cluster);
    }
    if (q.namespace) {
      where.push('f.namespace = ?');
      args.push(q.namespace);
    }
    const sql = `SELECT j.id AS scan_id, r.target, r.digest, f.finding FROM findings f
      JOIN results r ON r.id = f.result_id JOIN jobs j ON j.result_id = r.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.created_at DESC, j.id, f.rowid LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Raw[]).map((r) => ({
      scanId: String(r.scan_id),
      image: String(r.target),
      ...(r.digest ? { digest: String(r.digest) } : {}),
      finding: JSON.parse(String(r.finding)),
    }));
  }

  async getInventory(digest: string): Promise<StoredInventory | undefined> {
    const r = this.db.prepare('SELECT * FROM inventories WHERE digest = ?').get(digest) as Raw | undefined;
    return r ? inventoryFromRaw(r) : undefined;
  }

  async listInventories(): Promise<StoredInventory[]> {
    return (this.db.prepare('SELECT * FROM inventories ORDER BY digest').all() as Raw[]).map(
      inventoryFromRaw,
    );
  }

  async putCluster(row: {
    id: string;
    name: string;
    kubeconfig: string;
    settings: ClusterSettings;
    watchSeconds?: number;
    nextScanAt?: number;
  }): Promise<boolean> {
    const changes = this.db
      .prepare(
        `INSERT INTO clusters (id, name, kubeconfig, settings, watch_seconds, next_scan_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
      )
      .run(
        row.id,
        row.name,
        row.kubeconfig,
        JSON.stringify(row.settings),
        row.watchSeconds ?? null,
        row.nextScanAt ?? null,
        now(),
      ).changes;
    return changes > 0;
  }

  async listClusters(): Promise<ClusterRow[]> {
    return (this.db.prepare(`SELECT ${CLUSTER_COLUMNS} FROM clusters ORDER BY name`).all() as Raw[]).map(
      clusterFromRaw,
    );
  }

  async getCluster(id: string): Promise<ClusterRow | undefined> {
    const r = this.db.prepare(`SELECT ${CLUSTER_COLUMNS} FROM clusters WHERE id = ?`).get(id) as
      | Raw
      | undefined;
    return r ? clusterFromRaw(r) : undefined;
  }

  async clusterKubeconfig(id: string): Promise<string | undefined> {
    const r = this.db.prepare('SELECT kubeconfig FROM clusters WHERE id = ?').get(id) as Raw | undefined;
    return r ? String(r.kubeconfig) : undefined;
  }

  async deleteCluster(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM clusters WHERE id = ?').run(id).changes > 0;
  }

  async dueClusters(nowMs: number): Promise<ClusterRow[]> {
    return (
      this.db
        .prepare(
          `SELECT ${CLUSTER_COLUMNS} FROM clusters WHERE watch_seconds IS NOT NULL AND next_scan_at <= ? ORDER BY next_scan_at, id`,
        )
        .all(nowMs) as Raw[]
    ).map(clusterFromRaw);
  }

  async scheduleClusterScan(
    id: string,
    expected: number | undefined,
    next: number | undefined,
    jobId: string,
  ): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE clusters SET next_scan_at = ?, last_job_id = ? WHERE id = ? AND next_scan_at IS ?')
        .run(next ?? null, jobId, id, expected ?? null).changes > 0
    );
  }

  async recordClusterScan(row: {
    jobId: string;
    clusterId: string;
    images: unknown;
    changes: unknown;
  }): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO cluster_scans (job_id, cluster_id, images, changes, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (job_id) DO UPDATE SET images = excluded.images, changes = excluded.changes`,
      )
      .run(row.jobId, row.clusterId, JSON.stringify(row.images), JSON.stringify(row.changes), now());
  }

  async listClusterScans(clusterId: string, limit: number): Promise<ClusterScanRow[]> {
    return (
      this.db
        .prepare(`${CLUSTER_SCAN_SELECT} WHERE s.cluster_id = ? ORDER BY s.created_at DESC, s.job_id LIMIT ?`)
        .all(clusterId, limit) as Raw[]
    ).map(clusterScanFromRaw);
  }

  async previousClusterScan(clusterId: string, exceptJobId: string): Promise<ClusterScanRow | undefined> {
    const r = this.db
      .prepare(
        `${CLUSTER_SCAN_SELECT} WHERE s.cluster_id = ? AND s.job_id <> ? AND j.status = 'done'
         ORDER BY j.finished_at DESC, s.created_at DESC LIMIT 1`,
      )
      .get(clusterId, exceptJobId) as Raw | undefined;
    return r ? clusterScanFromRaw(r) : undefined;
  }

  async putInventory(digest: string, target: string, packages: readonly Package[]): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO inventories (digest, target, packages, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (digest) DO UPDATE SET target = excluded.target, packages = excluded.packages, updated_at = excluded.updated_at`,
      )
      .run(digest, target, JSON.stringify(packages), now());
  }
}

function inventoryFromRaw(r: Raw): StoredInventory {
  return {
    digest: String(r.digest),
    target: String(r.target),
    packages: JSON.parse(String(r.packages)),
    updatedAt: String(r.updated_at),
  };
}
