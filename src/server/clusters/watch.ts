import { randomUUID } from 'node:crypto';
import { describeError } from '../../core/index.js';
import type { Store } from '../store/types.js';
import { enqueueClusterScan } from './enqueue.js';

export interface ClusterWatchOptions {
  readonly store: Store;
  /** how often due watches are looked for (default 2 s) */
  readonly tickMs?: number;
  readonly onQueued?: (id: string) => void;
  readonly log: { info(o: object, m: string): void; error(o: object, m: string): void };
}

/**
 * Cluster watches: a stored cluster with `watchSeconds` is scanned every that many seconds. The
 * slot is taken with a compare-and-set on `next_scan_at`, so several servers on one PostgreSQL
 * queue each scan once; a cluster whose previous watch scan is still queued or running waits.
 */
export class ClusterWatcher {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> | undefined;

  constructor(private readonly options: ClusterWatchOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => {
        this.ticking = undefined;
      });
    }, this.options.tickMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** Queues every due watch scan; returns the job ids queued. */
  async tick(nowMs = Date.now()): Promise<string[]> {
    const { store, log } = this.options;
    const queued: string[] = [];
    try {
      for (const c of await store.dueClusters(nowMs)) {
        if (c.lastJobId) {
          const last = await store.getJob(c.lastJobId);
          if (last && (last.status === 'queued' || last.status === 'running')) continue;
        }
        const id = randomUUID();
        const next = nowMs + (c.watchSeconds ?? 0) * 1000;
        if (!(await store.scheduleClusterScan(c.id, c.nextScanAt, next, id))) continue;
        await enqueueClusterScan(store, c.id, { watch: true, id, name: c.name });
        log.info({ cluster: c.name, job: id }, 'cluster watch scan queued');
        this.options.onQueued?.(id);
        queued.push(id);
      }
    } catch (err) {
      log.error({ err: describeError(err) }, 'cluster watch tick failed; retrying');
    }
    return queued;
  }
}
