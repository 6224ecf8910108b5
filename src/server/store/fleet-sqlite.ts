import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ScanResult } from '../../core/index.js';
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
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

export function updateFromRaw(r: Raw): AdvisoryUpdateRow {
  return {
    id: String(r.id),
    version: Number(r.version),
    jobId: String(r.job_id),
    source: json(r.source) as AdvisoryUpdateRow['source'],
    summary: json(r.summary) as AdvisoryUpdateRow['summary'],
    createdAt: String(r.created_at),
  };
}

export function rematchFromRaw(r: Raw): Omit<RematchRow, 'items'> {
  return {
    id: String(r.id),
    ...(r.update_id ? { updateId: String(r.update_id) } : {}),
    ...(r.advisory_version !== null && r.advisory_version !== undefined
      ? { advisoryVersion: Number(r.advisory_version) }
      : {}),
    images: Number(r.images),
    changed: Number(r.changed),
    affected: Number(r.affected),
    createdAt: String(r.created_at),
  };
}

export function rematchImageFromRaw(r: Raw): RematchImage {
  return {
    digest: String(r.digest),
    target: String(r.target),
    ...(r.previous_scan ? { previousScan: String(r.previous_scan) } : {}),
    ...(r.scan_id ? { scan: String(r.scan_id) } : {}),
    newFindings: json(r.new_findings) as RematchImage['newFindings'],
    fixed: Number(r.fixed),
  };
}

export function latestFromRaw(r: Raw): LatestResult {
  return {
    scanId: String(r.scan_id),
    resultId: String(r.result_id),
    digest: String(r.digest),
    target: String(r.target),
    scanners: String(r.scanners).split(',').filter(Boolean),
    result: json(r.result) as ScanResult,
  };
}

export function targetFromRaw(r: Raw): NotificationTarget {
  return {
    id: String(r.id),
    name: String(r.name),
    url: String(r.url),
    format: String(r.format) as NotificationTarget['format'],
    events: json(r.events) as NotificationTarget['events'],
    origin: String(r.origin) as NotificationTarget['origin'],
    createdAt: String(r.created_at),
  };
}

export function deliveryFromRaw(r: Raw): Delivery {
  return {
    id: String(r.id),
    targetId: String(r.target_id),
    key: String(r.idempotency_key),
    event: json(r.event) as Delivery['event'],
    status: String(r.status) as Delivery['status'],
    attempts: Number(r.attempts),
    ...(r.error ? { error: String(r.error) } : {}),
    createdAt: String(r.created_at),
    ...(r.delivered_at ? { deliveredAt: String(r.delivered_at) } : {}),
  };
}

/**
 * The newest done scan of a digest with the vuln scanner (rematch-image scans included). CROSS JOIN
 * makes SQLite start from the digest index (else it walks every done job); PostgreSQL plans it freely.
 */
export const LATEST_RESULT_SQL = (p: (n: number) => string) => `
  SELECT j.id AS scan_id, r.id AS result_id, r.digest, r.target, r.scanners, r.result
  FROM results r CROSS JOIN jobs j
  WHERE j.result_id = r.id AND r.digest = ${p(1)} AND j.status = 'done' AND j.id <> ${p(2)}
    AND (',' || r.scanners || ',') LIKE '%,vuln,%'
  ORDER BY j.finished_at DESC, j.created_at DESC, j.id DESC LIMIT 1`;

export class SqliteRematchStore implements RematchStore {
  constructor(private readonly db: Database.Database) {}

  async recordAdvisoryUpdate(row: {
    id: string;
    jobId: string;
    source: object;
    summary: object;
  }): Promise<AdvisoryUpdateRow> {
    return this.db.transaction((): AdvisoryUpdateRow => {
      const had = this.db.prepare('SELECT * FROM advisory_updates WHERE job_id = ?').get(row.jobId) as
        | Raw
        | undefined;
      if (had) return updateFromRaw(had);
      const last = this.db.prepare('SELECT MAX(version) AS v FROM advisory_updates').get() as Raw;
      const version = Number(last.v ?? 0) + 1;
      this.db
        .prepare(
          'INSERT INTO advisory_updates (id, version, job_id, source, summary, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(row.id, version, row.jobId, JSON.stringify(row.source), JSON.stringify(row.summary), now());
      return updateFromRaw(this.db.prepare('SELECT * FROM advisory_updates WHERE id = ?').get(row.id) as Raw);
    })();
  }

  async latestAdvisoryUpdate(): Promise<AdvisoryUpdateRow | undefined> {
    const r = this.db.prepare('SELECT * FROM advisory_updates ORDER BY version DESC LIMIT 1').get() as
      | Raw
      | undefined;
    return r ? updateFromRaw(r) : undefined;
  }

  async listAdvisoryUpdates(limit: number): Promise<AdvisoryUpdateRow[]> {
    return (
      this.db.prepare('SELECT * FROM advisory_updates ORDER BY version DESC LIMIT ?').all(limit) as Raw[]
    ).map(updateFromRaw);
  }

  async inventoryDigests(): Promise<string[]> {
    return (this.db.prepare('SELECT digest FROM inventories ORDER BY digest').all() as Raw[]).map((r) =>
      String(r.digest),
    );
  }

  async latestResult(digest: string, except = ''): Promise<LatestResult | undefined> {
    const r = this.db.prepare(LATEST_RESULT_SQL(() => '?')).get(digest, except) as Raw | undefined;
    return r ? latestFromRaw(r) : undefined;
  }

  async recordRematchImage(
    rematchId: string,
    image: RematchImage & { result?: ScanResult; scanners: readonly string[] },
  ): Promise<void> {
    this.db.transaction(() => {
      const had = this.db
        .prepare('SELECT 1 FROM rematch_images WHERE rematch_id = ? AND digest = ?')
        .get(rematchId, image.digest);
      if (had) return;
      if (image.result && image.scan) {
        const resultId = this.insertResult(image.result, image.scanners);
        const t = now();
        this.db
          .prepare(
            `INSERT INTO jobs (id, type, payload, status, attempts, max_attempts, created_at, started_at, finished_at, result_id)
             VALUES (?, 'rematch-image', ?, 'done', 1, 1, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          )
          .run(
            image.scan,
            JSON.stringify({ target: image.target, digest: image.digest, rematch: rematchId }),
            t,
            t,
            t,
            resultId,
          );
      }
      this.db
        .prepare(
          `INSERT INTO rematch_images (rematch_id, digest, target, previous_scan, scan_id, new_findings, fixed)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          rematchId,
          image.digest,
          image.target,
          image.previousScan ?? null,
          image.scan ?? null,
          JSON.stringify(image.newFindings),
          image.fixed,
        );
    })();
  }

  private insertResult(result: ScanResult, scanners: readonly string[]): string {
    const rows = resultRows(result, scanners);
    const had = this.db.prepare('SELECT id FROM results WHERE dedup_key = ?').get(rows.dedupKey) as
      | Raw
      | undefined;
    if (had) return String(had.id);
    const id = randomUUID();
    this.db
      .prepare(
        'INSERT INTO results (id, dedup_key, digest, scanners, target, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, rows.dedupKey, rows.digest, rows.scanners, rows.target, rows.json, now());
    const insert = this.db.prepare(
      'INSERT INTO findings (result_id, advisory, aliases, package, version, severity, kind, finding, cluster, namespace) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const f of rows.findings)
      insert.run(
        id,
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
    return id;
  }

  async finishRematch(row: Omit<RematchRow, 'items' | 'createdAt'>): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO rematches (id, update_id, advisory_version, images, changed, affected, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .run(
        row.id,
        row.updateId ?? null,
        row.advisoryVersion ?? null,
        row.images,
        row.changed,
        row.affected,
        now(),
      );
  }

  async getRematch(id: string): Promise<RematchRow | undefined> {
    const r = this.db.prepare('SELECT * FROM rematches WHERE id = ?').get(id) as Raw | undefined;
    if (!r) return undefined;
    return { ...rematchFromRaw(r), items: await this.rematchImages(id) };
  }

  async rematchImages(rematchId: string): Promise<RematchImage[]> {
    return (
      this.db
        .prepare('SELECT * FROM rematch_images WHERE rematch_id = ? ORDER BY target, digest')
        .all(rematchId) as Raw[]
    ).map(rematchImageFromRaw);
  }

  async listRematches(limit: number): Promise<Omit<RematchRow, 'items'>[]> {
    return (
      this.db.prepare('SELECT * FROM rematches ORDER BY created_at DESC, id LIMIT ?').all(limit) as Raw[]
    ).map(rematchFromRaw);
  }
}

export class SqliteOutboxStore implements OutboxStore {
  constructor(private readonly db: Database.Database) {}

  async putTarget(row: Omit<NotificationTarget, 'createdAt'>): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO notification_targets (id, name, url, format, events, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(row.id, row.name, row.url, row.format, JSON.stringify(row.events), row.origin, now());
  }

  async listTargets(): Promise<NotificationTarget[]> {
    return (this.db.prepare('SELECT * FROM notification_targets ORDER BY created_at, id').all() as Raw[]).map(
      targetFromRaw,
    );
  }

  async deleteTarget(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM notification_targets WHERE id = ?').run(id).changes > 0;
  }

  async replaceConfigTargets(
    rows: readonly Omit<NotificationTarget, 'createdAt' | 'origin'>[],
  ): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM notification_targets WHERE origin = 'config'`).run();
      const insert = this.db.prepare(
        `INSERT INTO notification_targets (id, name, url, format, events, origin, created_at) VALUES (?, ?, ?, ?, ?, 'config', ?)`,
      );
      for (const r of rows) insert.run(r.id, r.name, r.url, r.format, JSON.stringify(r.events), now());
    })();
  }

  async enqueue(
    rows: readonly { id: string; targetId: string; key: string; event: object }[],
  ): Promise<number> {
    return this.db.transaction((): number => {
      const insert = this.db.prepare(
        `INSERT INTO outbox (id, target_id, idempotency_key, event, status, next_at, created_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
      );
      let n = 0;
      for (const r of rows)
        n += insert.run(r.id, r.targetId, r.key, JSON.stringify(r.event), Date.now(), now()).changes;
      return n;
    })();
  }

  async claimDeliveries(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
    return this.db.transaction((): ClaimedDelivery[] => {
      const t = Date.now();
      const due = this.db
        .prepare(
          `SELECT id FROM outbox WHERE (status = 'pending' AND next_at <= ?)
           OR (status = 'delivering' AND lease_until < ?) ORDER BY next_at, id LIMIT ?`,
        )
        .all(t, t, limit) as Raw[];
      const out: ClaimedDelivery[] = [];
      for (const { id } of due) {
        const lease = randomUUID();
        this.db
          .prepare(
            `UPDATE outbox SET status = 'delivering', lease = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?`,
          )
          .run(lease, t + leaseSeconds * 1000, id);
        out.push({
          ...deliveryFromRaw(this.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as Raw),
          lease,
        });
      }
      return out;
    })();
  }

  async deliveryDone(id: string, lease: string): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE outbox SET status = 'delivered', delivered_at = ?, lease = NULL, error = NULL
           WHERE id = ? AND lease = ? AND status = 'delivering'`,
        )
        .run(now(), id, lease).changes > 0
    );
  }

  async deliveryFailed(
    id: string,
    lease: string,
    error: string,
    retryAt: number | undefined,
  ): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE outbox SET status = ?, next_at = ?, error = ?, lease = NULL, lease_until = NULL
           WHERE id = ? AND lease = ? AND status = 'delivering'`,
        )
        .run(retryAt === undefined ? 'failed' : 'pending', retryAt ?? Date.now(), error, id, lease).changes >
      0
    );
  }

  async listDeliveries(limit: number): Promise<Delivery[]> {
    return (
      this.db.prepare('SELECT * FROM outbox ORDER BY created_at DESC, id LIMIT ?').all(limit) as Raw[]
    ).map(deliveryFromRaw);
  }
}
