import { describeError, StrataError } from '../core/index.js';
import { JOB_TYPE_NAMES, jobType } from './jobs/registry.js';
import type { JobOutput } from './jobs/types.js';
import type { Metrics } from './metrics.js';
import type { ClaimedJob, Store } from './store/types.js';

export interface WorkerOptions {
  readonly store: Store;
  readonly concurrency: number;
  /** a job not renewed for this long is taken again by another worker */
  readonly leaseSeconds: number;
  readonly pollMs: number;
  readonly db?: string;
  readonly metrics?: Metrics;
  readonly log: { info(o: object, m: string): void; error(o: object, m: string): void };
  /** before a job runs (fleet mode: bring this worker's advisory DB up to the newest recorded update) */
  readonly beforeJob?: (job: ClaimedJob) => Promise<void>;
  /**
   * With a job's output, before its result is written (fleet mode: notifications of new findings go
   * to the outbox first, so a crash between the two repeats the job, never loses the notice)
   */
  readonly onOutput?: (job: ClaimedJob, out: JobOutput) => Promise<void>;
}

/**
 * The worker loop over the store's queue: claim (with a lease), run the job type, write the result
 * once (only the lease holder can), renew the lease while running. `stop()` aborts running jobs and
 * gives them back to the queue without counting the attempt.
 */
export class Worker {
  private running = new Map<string, { job: ClaimedJob; abort: AbortController; done: Promise<void> }>();
  private stopped = false;
  private wake: (() => void) | undefined;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: WorkerOptions) {}

  start(): void {
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop());
  }

  /** New work was queued: look now instead of at the next poll. */
  notify(): void {
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let job: ClaimedJob | undefined;
      try {
        job = await this.options.store.claimJob(JOB_TYPE_NAMES, this.options.leaseSeconds);
      } catch (err) {
        this.options.log.error({ err: describeError(err) }, 'claiming a job failed; retrying');
      }
      if (job) await this.runOne(job);
      else await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.options.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async runOne(job: ClaimedJob): Promise<void> {
    const abort = new AbortController();
    const done = this.execute(job, abort);
    this.running.set(job.id, { job, abort, done });
    try {
      await done;
    } finally {
      this.running.delete(job.id);
    }
  }

  private async execute(job: ClaimedJob, abort: AbortController): Promise<void> {
    const { store, leaseSeconds, log, metrics } = this.options;
    const renew = setInterval(
      () => {
        store.extendLease(job.id, job.lease, leaseSeconds).catch(() => undefined);
      },
      (leaseSeconds * 1000) / 3,
    );
    const started = performance.now();
    log.info({ job: job.id, type: job.type, attempt: job.attempts }, 'job started');
    try {
      const type = jobType(job.type);
      await this.options.beforeJob?.(job);
      const out = await type.run(type.parse(job.payload), {
        store,
        signal: abort.signal,
        jobId: job.id,
        ...(this.options.db ? { db: this.options.db } : {}),
      });
      if (this.stopped && abort.signal.aborted) return;
      await this.options.onOutput?.(job, out);
      const written = await store.completeJob(job.id, job.lease, out.result, out.scanners);
      metrics?.jobDone(job.type, 'done', (performance.now() - started) / 1000);
      log.info({ job: job.id, written }, written ? 'job done' : 'job done elsewhere; result not written');
    } catch (err) {
      if (this.stopped && abort.signal.aborted) return;
      const message = err instanceof StrataError ? err.message : describeError(err);
      const status = await store.failJob(job.id, job.lease, message).catch(() => undefined);
      metrics?.jobDone(job.type, 'failed', (performance.now() - started) / 1000);
      log.error({ job: job.id, status, error: message }, 'job attempt failed');
    } finally {
      clearInterval(renew);
    }
  }

  /** Graceful stop: waits up to `graceMs` for running jobs, then aborts and releases the rest. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const all = [...this.running.values()];
    const finished = Promise.all(all.map((r) => r.done));
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
    ]);
    if (timedOut) {
      for (const r of this.running.values()) {
        r.abort.abort();
        await this.options.store.releaseJob(r.job.id, r.job.lease).catch(() => undefined);
      }
    }
    await Promise.allSettled(this.loops);
  }
}
