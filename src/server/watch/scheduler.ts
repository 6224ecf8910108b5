import { describeError } from '../../core/index.js';
import { watchJob } from '../jobs/watch-registry.js';
import type { Store } from '../store/types.js';
import { alertEvent, type Notify } from './notify.js';

export interface SchedulerOptions {
  readonly store: Store;
  /** how often due watches and undelivered alerts are looked for */
  readonly tickMs: number;
  readonly notify: Notify;
  readonly onQueued?: (id: string) => void;
  readonly log: { info(o: object, m: string): void; error(o: object, m: string): void };
}

/** an alert handed to the notifier is not handed again for this long (unless it was delivered) */
const ALERT_LEASE_MS = 60_000;
const BATCH = 50;

/**
 * The watch scheduler of `strata server`: every tick it queues a `watch-registry` job for each due
 * watch (the store makes that atomic, and on PostgreSQL lets one server of many do it) and hands
 * new alerts to the notifier. Errors (a database restart) are logged and the next tick tries again.
 */
export class WatchScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.options.tickMs);
      });
    };
    loop();
  }

  async tick(): Promise<void> {
    const { store, log } = this.options;
    try {
      const queued = await store.watches.claimDue(Date.now(), watchJob, BATCH);
      for (const q of queued) {
        log.info({ watch: q.watchId, job: q.jobId }, 'watch run queued');
        this.options.onQueued?.(q.jobId);
      }
    } catch (err) {
      log.error({ err: describeError(err) }, 'queuing due watches failed; retrying');
    }
    try {
      const alerts = await store.watches.claimAlerts(ALERT_LEASE_MS, BATCH);
      const delivered: string[] = [];
      for (const a of alerts) {
        if (this.stopped) break;
        try {
          await this.options.notify(alertEvent(a));
          delivered.push(a.id);
        } catch (err) {
          log.error(
            { alert: a.id, err: describeError(err) },
            'notifying an alert failed; it is passed again later',
          );
        }
      }
      await store.watches.markDispatched(delivered);
    } catch (err) {
      log.error({ err: describeError(err) }, 'dispatching alerts failed; retrying');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
