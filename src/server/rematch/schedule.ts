import { describeError } from '../../core/index.js';
import type { AdvisorySource } from '../store/fleet-types.js';
import type { Store } from '../store/types.js';
import { dbUpdateJob } from './jobs.js';
import { derivedId } from './rematch.js';

/**
 * `--db-update-interval`: queues a db-update job at start and every interval. The job id is
 * derived from the interval slot, so several servers on one database queue one job per slot.
 */
export function scheduleDbUpdates(options: {
  store: Store;
  intervalMs: number;
  source: AdvisorySource;
  onQueued?: (id: string) => void;
  log: { info(o: object, m: string): void; error(o: object, m: string): void };
}): { stop(): void } {
  const { store, intervalMs, log } = options;
  const tick = async () => {
    const id = derivedId('db-update', String(intervalMs), String(Math.floor(Date.now() / intervalMs)));
    try {
      if (await store.getJob(id)) return;
      await store.insertJob({
        id,
        type: dbUpdateJob.name,
        payload: dbUpdateJob.parse(options.source),
        maxAttempts: dbUpdateJob.maxAttempts,
      });
      options.onQueued?.(id);
      log.info({ job: id }, 'advisory DB update queued');
    } catch (err) {
      // another server queued this slot's job first, or the database is away (next tick retries)
      if (!(await store.getJob(id).catch(() => undefined)))
        log.error({ err: describeError(err) }, 'queueing the advisory DB update failed');
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
