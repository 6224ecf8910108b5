import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ScanResult } from '../../core/index.js';
import { ServerError } from '../errors.js';
import { alertFromRaw, watchFromRaw } from './rows.js';
import type {
  AlertQuery,
  AlertRow,
  RegistryWatchConfig,
  TagState,
  WatchJobFactory,
  WatchRow,
  WatchRunCommit,
  WatchStats,
  WatchStore,
} from './types.js';

type Raw = Record<string, unknown>;
const now = (): string => new Date().toISOString();
/** the advisory lock the watch scheduler of every server takes (one acts at a time) */
const SCHEDULER_LOCK = 7361727462;

const dbError = (cause: unknown) =>
  new ServerError('DATABASE', `PostgreSQL: ${cause instanceof Error ? cause.message : String(cause)}`, {
    cause,
    userError: false,
  });

/** Watches on PostgreSQL, shared by every server and worker of the fleet. */
/** How the store runs a statement and a transaction (its pool, its handling of a lost connection). */
export interface PostgresAccess {
  query(sql: string, args?: unknown[]): Promise<Raw[]>;
  transaction<T>(body: (c: pg.PoolClient) => Promise<T>): Promise<T>;
}

/** Watches on PostgreSQL, shared by every server and worker of the fleet. */
export class PostgresWatches implements WatchStore {
  constructor(private readonly db: PostgresAccess) {}

  private q(sql: string, args: unknown[] = []): Promise<Raw[]> {
    return this.db.query(sql, args);
  }

  private async tx<T>(body: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(body);
    } catch (err) {
      throw err instanceof ServerError ? err : dbError(err);
    }
  }

  async create(row: {
    id: string;
    name: string;
    kind: 'registry';
    config: RegistryWatchConfig;
    interval: number;
  }): Promise<WatchRow> {
    const [r] = await this.q(
      `INSERT INTO watches (id, name, kind, config, interval_seconds, next_run_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [row.id, row.name, row.kind, JSON.stringify(row.config), row.interval, Date.now(), now()],
    );
    return watchFromRaw(r as Raw);
  }

  async get(id: string): Promise<WatchRow | undefined> {
    const [r] = await this.q('SELECT * FROM watches WHERE id = $1', [id]);
    return r ? watchFromRaw(r) : undefined;
  }

  async list(): Promise<WatchRow[]> {
    return (await this.q('SELECT * FROM watches ORDER BY created_at, id')).map(watchFromRaw);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.q('DELETE FROM watches WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  private async busy(c: pg.PoolClient, watch: WatchRow): Promise<boolean> {
    if (!watch.lastJobId) return false;
    const r = (await c.query('SELECT status FROM jobs WHERE id = $1', [watch.lastJobId])).rows[0];
    return r !== undefined && (r.status === 'queued' || r.status === 'running');
  }

  private async queue(
    c: pg.PoolClient,
    watch: WatchRow,
    job: WatchJobFactory,
    next: number,
  ): Promise<string> {
    const jobId = randomUUID();
    const j = job(watch, jobId);
    await c.query(
      'INSERT INTO jobs (id, type, payload, status, max_attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [jobId, j.type, JSON.stringify(j.payload), 'queued', j.maxAttempts, now()],
    );
    await c.query('UPDATE watches SET last_job_id = $1, next_run_at = $2 WHERE id = $3', [
      jobId,
      next,
      watch.id,
    ]);
    return jobId;
  }

  async claimDue(
    at: number,
    job: WatchJobFactory,
    limit: number,
  ): Promise<{ watchId: string; jobId: string }[]> {
    return this.tx(async (c) => {
      const locked = (await c.query('SELECT pg_try_advisory_xact_lock($1) AS ok', [SCHEDULER_LOCK])).rows[0];
      if (!locked?.ok) return [];
      const due = (
        await c.query(
          'SELECT * FROM watches WHERE next_run_at <= $1 ORDER BY next_run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED',
          [at, limit],
        )
      ).rows.map(watchFromRaw);
      const out: { watchId: string; jobId: string }[] = [];
      for (const w of due) {
        const next = at + w.interval * 1000;
        if (await this.busy(c, w)) {
          await c.query('UPDATE watches SET next_run_at = $1 WHERE id = $2', [next, w.id]);
          continue;
        }
        out.push({ watchId: w.id, jobId: await this.queue(c, w, job, next) });
      }
      return out;
    });
  }

  async runNow(id: string, job: WatchJobFactory): Promise<{ jobId: string; queued: boolean } | undefined> {
    return this.tx(async (c) => {
      const r = (await c.query('SELECT * FROM watches WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!r) return undefined;
      const w = watchFromRaw(r);
      if ((await this.busy(c, w)) && w.lastJobId) return { jobId: w.lastJobId, queued: false };
      return { jobId: await this.queue(c, w, job, Date.now() + w.interval * 1000), queued: true };
    });
  }

  async tagState(watchId: string): Promise<TagState[]> {
    return (
      await this.q(
        'SELECT repository, tag, digest FROM watch_tags WHERE watch_id = $1 ORDER BY repository, tag',
        [watchId],
      )
    ).map((r) => ({ repository: String(r.repository), tag: String(r.tag), digest: String(r.digest) }));
  }

  async getRun(runId: string): Promise<{ result: ScanResult; stats: WatchStats } | undefined> {
    const [r] = await this.q('SELECT result FROM watch_runs WHERE run_id = $1', [runId]);
    return r ? (r.result as { result: ScanResult; stats: WatchStats }) : undefined;
  }

  async commitRun(c0: WatchRunCommit): Promise<{ written: boolean; queued: string[] }> {
    return this.tx(async (c) => {
      const at = now();
      const inserted = await c.query(
        `INSERT INTO watch_runs (run_id, watch_id, result, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (run_id) DO NOTHING RETURNING run_id`,
        [c0.runId, c0.watchId, JSON.stringify({ result: c0.result, stats: c0.stats }), at],
      );
      if (inserted.rowCount === 0) return { written: false, queued: [] };
      const exists = await c.query('SELECT 1 FROM watches WHERE id = $1 FOR UPDATE', [c0.watchId]);
      if (exists.rowCount) {
        await c.query('DELETE FROM watch_tags WHERE watch_id = $1', [c0.watchId]);
        for (const t of c0.tags)
          await c.query(
            'INSERT INTO watch_tags (watch_id, repository, tag, digest, updated_at) VALUES ($1, $2, $3, $4, $5)',
            [c0.watchId, t.repository, t.tag, t.digest, at],
          );
      }
      for (const a of c0.alerts)
        await c.query(
          `INSERT INTO alerts (id, kind, level, severity, subject, message, details, watch_id, job_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            randomUUID(),
            a.kind,
            a.level,
            a.severity ?? null,
            a.subject,
            a.message,
            JSON.stringify(a.details),
            c0.watchId,
            c0.runId,
            at,
          ],
        );
      const queued: string[] = [];
      for (const s of c0.scans) {
        const scanned = await c.query('SELECT 1 FROM results WHERE digest = $1 AND scanners = $2 LIMIT 1', [
          s.digest,
          s.scanners,
        ]);
        if (scanned.rowCount) continue;
        // insert-or-nothing, then compare-and-set over a failed earlier job: two runs committing
        // at once (two watches on one registry) queue a digest once
        const jobId = randomUUID();
        let mine =
          ((
            await c.query(
              `INSERT INTO watch_scans (digest, scanners, job_id, created_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (digest, scanners) DO NOTHING`,
              [s.digest, s.scanners, jobId, at],
            )
          ).rowCount ?? 0) > 0;
        if (!mine) {
          const replaced = await c.query(
            `UPDATE watch_scans w SET job_id = $1, created_at = $2 FROM jobs j
             WHERE w.digest = $3 AND w.scanners = $4 AND j.id = w.job_id AND j.status = 'failed'`,
            [jobId, at, s.digest, s.scanners],
          );
          mine = (replaced.rowCount ?? 0) > 0;
        }
        if (!mine) continue;
        await c.query(
          'INSERT INTO jobs (id, type, payload, status, max_attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [jobId, s.type, JSON.stringify(s.payload), 'queued', s.maxAttempts, at],
        );
        queued.push(jobId);
      }
      const stats = { ...c0.stats, scansQueued: queued.length };
      await c.query('UPDATE watch_runs SET result = $1 WHERE run_id = $2', [
        JSON.stringify({ result: c0.result, stats }),
        c0.runId,
      ]);
      if (exists.rowCount)
        await c.query('UPDATE watches SET last_run_at = $1, last_stats = $2 WHERE id = $3', [
          at,
          JSON.stringify(stats),
          c0.watchId,
        ]);
      return { written: true, queued };
    });
  }

  async listAlerts(q: AlertQuery): Promise<AlertRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (q.after !== undefined) where.push(`seq > ${arg(q.after)}`);
    if (q.kind) where.push(`kind = ${arg(q.kind)}`);
    if (q.level) where.push(`level = ${arg(q.level)}`);
    if (q.watch) where.push(`watch_id = ${arg(q.watch)}`);
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${arg(q.limit)}`;
    return (await this.q(sql, args)).map(alertFromRaw);
  }

  async claimAlerts(leaseMs: number, limit: number): Promise<AlertRow[]> {
    const t = Date.now();
    return (
      await this.q(
        `UPDATE alerts SET dispatch_until = $1 WHERE id IN (
           SELECT id FROM alerts WHERE level = 'alert' AND dispatched_at IS NULL
           AND (dispatch_until IS NULL OR dispatch_until < $2) ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [t + leaseMs, t, limit],
      )
    )
      .map(alertFromRaw)
      .sort((a, b) => a.seq - b.seq);
  }

  async markDispatched(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.q('UPDATE alerts SET dispatched_at = $1 WHERE id = ANY($2)', [now(), [...ids]]);
  }
}
