import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ScanResult } from '../../core/index.js';
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

/** Watches in the embedded SQLite file (one process writes it: transactions are the only lock needed). */
export class SqliteWatches implements WatchStore {
  constructor(private readonly db: Database.Database) {}

  async create(row: {
    id: string;
    name: string;
    kind: 'registry';
    config: RegistryWatchConfig;
    interval: number;
  }): Promise<WatchRow> {
    this.db
      .prepare(
        `INSERT INTO watches (id, name, kind, config, interval_seconds, next_run_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.id, row.name, row.kind, JSON.stringify(row.config), row.interval, Date.now(), now());
    return (await this.get(row.id)) as WatchRow;
  }

  async get(id: string): Promise<WatchRow | undefined> {
    const r = this.db.prepare('SELECT * FROM watches WHERE id = ?').get(id) as Raw | undefined;
    return r ? watchFromRaw(r) : undefined;
  }

  async list(): Promise<WatchRow[]> {
    return (this.db.prepare('SELECT * FROM watches ORDER BY created_at, id').all() as Raw[]).map(
      watchFromRaw,
    );
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM watches WHERE id = ?').run(id).changes > 0;
  }

  private busy(watch: WatchRow): boolean {
    if (!watch.lastJobId) return false;
    const r = this.db.prepare('SELECT status FROM jobs WHERE id = ?').get(watch.lastJobId) as Raw | undefined;
    return r !== undefined && (r.status === 'queued' || r.status === 'running');
  }

  private queue(watch: WatchRow, job: WatchJobFactory, next: number): string {
    const jobId = randomUUID();
    const j = job(watch, jobId);
    this.db
      .prepare(
        'INSERT INTO jobs (id, type, payload, status, max_attempts, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(jobId, j.type, JSON.stringify(j.payload), 'queued', j.maxAttempts, now());
    this.db
      .prepare('UPDATE watches SET last_job_id = ?, next_run_at = ? WHERE id = ?')
      .run(jobId, next, watch.id);
    return jobId;
  }

  async claimDue(
    at: number,
    job: WatchJobFactory,
    limit: number,
  ): Promise<{ watchId: string; jobId: string }[]> {
    return this.db.transaction(() => {
      const due = (
        this.db
          .prepare('SELECT * FROM watches WHERE next_run_at <= ? ORDER BY next_run_at, id LIMIT ?')
          .all(at, limit) as Raw[]
      ).map(watchFromRaw);
      const out: { watchId: string; jobId: string }[] = [];
      for (const w of due) {
        const next = at + w.interval * 1000;
        if (this.busy(w)) {
          // the previous run has not ended: this interval is skipped, not piled up
          this.db.prepare('UPDATE watches SET next_run_at = ? WHERE id = ?').run(next, w.id);
          continue;
        }
        out.push({ watchId: w.id, jobId: this.queue(w, job, next) });
      }
      return out;
    })();
  }

  async runNow(id: string, job: WatchJobFactory): Promise<{ jobId: string; queued: boolean } | undefined> {
    return this.db.transaction(() => {
      const r = this.db.prepare('SELECT * FROM watches WHERE id = ?').get(id) as Raw | undefined;
      if (!r) return undefined;
      const w = watchFromRaw(r);
      if (this.busy(w) && w.lastJobId) return { jobId: w.lastJobId, queued: false };
      return { jobId: this.queue(w, job, Date.now() + w.interval * 1000), queued: true };
    })();
  }

  async tagState(watchId: string): Promise<TagState[]> {
    return (
      this.db
        .prepare('SELECT repository, tag, digest FROM watch_tags WHERE watch_id = ? ORDER BY repository, tag')
        .all(watchId) as Raw[]
    ).map((r) => ({ repository: String(r.repository), tag: String(r.tag), digest: String(r.digest) }));
  }

  async getRun(runId: string): Promise<{ result: ScanResult; stats: WatchStats } | undefined> {
    const r = this.db.prepare('SELECT result FROM watch_runs WHERE run_id = ?').get(runId) as Raw | undefined;
    return r ? (JSON.parse(String(r.result)) as { result: ScanResult; stats: WatchStats }) : undefined;
  }

  async commitRun(c: WatchRunCommit): Promise<{ written: boolean; queued: string[] }> {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM watch_runs WHERE run_id = ?').get(c.runId))
        return { written: false, queued: [] };
      const at = now();
      // the watch may have been deleted meanwhile: its state goes with it, the run and alerts stay
      const exists = this.db.prepare('SELECT 1 FROM watches WHERE id = ?').get(c.watchId);
      if (exists) {
        this.db.prepare('DELETE FROM watch_tags WHERE watch_id = ?').run(c.watchId);
        const put = this.db.prepare(
          'INSERT INTO watch_tags (watch_id, repository, tag, digest, updated_at) VALUES (?, ?, ?, ?, ?)',
        );
        for (const t of c.tags) put.run(c.watchId, t.repository, t.tag, t.digest, at);
      }
      const alert = this.db.prepare(
        `INSERT INTO alerts (id, kind, level, severity, subject, message, details, watch_id, job_id, created_at, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM alerts))`,
      );
      for (const a of c.alerts)
        alert.run(
          randomUUID(),
          a.kind,
          a.level,
          a.severity ?? null,
          a.subject,
          a.message,
          JSON.stringify(a.details),
          c.watchId,
          c.runId,
          at,
        );
      const queued: string[] = [];
      for (const s of c.scans) {
        const scanned = this.db
          .prepare('SELECT 1 FROM results WHERE digest = ? AND scanners = ?')
          .get(s.digest, s.scanners);
        if (scanned) continue;
        const earlier = this.db
          .prepare(
            `SELECT j.status FROM watch_scans w JOIN jobs j ON j.id = w.job_id WHERE w.digest = ? AND w.scanners = ?`,
          )
          .get(s.digest, s.scanners) as Raw | undefined;
        if (earlier && earlier.status !== 'failed') continue;
        const jobId = randomUUID();
        this.db
          .prepare(
            'INSERT INTO jobs (id, type, payload, status, max_attempts, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(jobId, s.type, JSON.stringify(s.payload), 'queued', s.maxAttempts, at);
        this.db
          .prepare(
            `INSERT INTO watch_scans (digest, scanners, job_id, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (digest, scanners) DO UPDATE SET job_id = excluded.job_id, created_at = excluded.created_at`,
          )
          .run(s.digest, s.scanners, jobId, at);
        queued.push(jobId);
      }
      const stats = { ...c.stats, scansQueued: queued.length };
      this.db
        .prepare('INSERT INTO watch_runs (run_id, watch_id, result, created_at) VALUES (?, ?, ?, ?)')
        .run(c.runId, c.watchId, JSON.stringify({ result: c.result, stats }), at);
      if (exists)
        this.db
          .prepare('UPDATE watches SET last_run_at = ?, last_stats = ? WHERE id = ?')
          .run(at, JSON.stringify(stats), c.watchId);
      return { written: true, queued };
    })();
  }

  async listAlerts(q: AlertQuery): Promise<AlertRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.after !== undefined) {
      where.push('seq > ?');
      args.push(q.after);
    }
    if (q.kind) {
      where.push('kind = ?');
      args.push(q.kind);
    }
    if (q.level) {
      where.push('level = ?');
      args.push(q.level);
    }
    if (q.watch) {
      where.push('watch_id = ?');
      args.push(q.watch);
    }
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Raw[]).map(alertFromRaw);
  }

  async claimAlerts(leaseMs: number, limit: number): Promise<AlertRow[]> {
    return this.db.transaction(() => {
      const t = Date.now();
      const rows = (
        this.db
          .prepare(
            `SELECT * FROM alerts WHERE level = 'alert' AND dispatched_at IS NULL
             AND (dispatch_until IS NULL OR dispatch_until < ?) ORDER BY seq LIMIT ?`,
          )
          .all(t, limit) as Raw[]
      ).map(alertFromRaw);
      const lease = this.db.prepare('UPDATE alerts SET dispatch_until = ? WHERE id = ?');
      for (const a of rows) lease.run(t + leaseMs, a.id);
      return rows;
    })();
  }

  async markDispatched(ids: readonly string[]): Promise<void> {
    const mark = this.db.prepare('UPDATE alerts SET dispatched_at = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) mark.run(now(), id);
    })();
  }
}
