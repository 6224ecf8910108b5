import { buildApi } from './api/app.js';
import { type DatabaseLocation, parseDatabase, parseListen } from './config.js';
import { Metrics } from './metrics.js';
import { openStore } from './open-store.js';
import { logNotifier, type Notify } from './watch/notify.js';
import { WatchScheduler } from './watch/scheduler.js';
import { Worker } from './worker.js';

export interface ServeOptions {
  readonly listen: string;
  readonly database?: string;
  /** in-process workers (embedded mode) */
  readonly concurrency: number;
  readonly rateLimit: number;
  readonly bodyLimit: number;
  readonly leaseSeconds: number;
  readonly shutdownGraceMs: number;
  readonly db?: string;
  readonly logger?: boolean | object;
  /** where alerts (tag mutations) go; default: a log line each */
  readonly notify?: Notify;
  /** how often the watch scheduler looks for due watches (default 2 s) */
  readonly watchTickMs?: number;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `strata server`: opens the store (migrations at start), serves the API and, in embedded mode,
 * runs the worker loop in process. `close()` stops taking requests and jobs, lets running jobs
 * finish for the grace period, releases the others, then closes the database.
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { host, port } = parseListen(options.listen);
  const store = await openStore(parseDatabase(options.database));
  const metrics = new Metrics(store);
  let worker: Worker | undefined;
  const app = await buildApi({
    store,
    metrics,
    rateLimit: options.rateLimit,
    bodyLimit: options.bodyLimit,
    onQueued: () => worker?.notify(),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  worker = new Worker({
    store,
    concurrency: options.concurrency,
    leaseSeconds: options.leaseSeconds,
    pollMs: 1000,
    metrics,
    log: app.log,
    ...(options.db ? { db: options.db } : {}),
  });
  const scheduler = new WatchScheduler({
    store,
    tickMs: options.watchTickMs ?? 2000,
    notify: options.notify ?? logNotifier(app.log),
    onQueued: () => worker?.notify(),
    log: app.log,
  });
  const address = await app.listen({ host, port });
  worker.start();
  scheduler.start();
  let closing: Promise<void> | undefined;
  return {
    url: address,
    close: () => {
      closing ??= (async () => {
        await app.close();
        await scheduler.stop();
        await worker?.stop(options.shutdownGraceMs);
        await store.close();
      })();
      return closing;
    },
  };
}

export interface WorkerProcessOptions {
  readonly location: DatabaseLocation;
  readonly concurrency: number;
  readonly leaseSeconds: number;
  readonly shutdownGraceMs: number;
  readonly db?: string;
}

/** `strata worker`: the worker loop alone, logging JSON lines to stdout. */
export async function runWorker(options: WorkerProcessOptions): Promise<{ close(): Promise<void> }> {
  const store = await openStore(options.location);
  const line = (level: string) => (o: object, msg: string) =>
    process.stdout.write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, ...o, msg })}\n`);
  const worker = new Worker({
    store,
    concurrency: options.concurrency,
    leaseSeconds: options.leaseSeconds,
    pollMs: 500,
    log: { info: line('info'), error: line('error') },
    ...(options.db ? { db: options.db } : {}),
  });
  worker.start();
  return {
    close: async () => {
      await worker.stop(options.shutdownGraceMs);
      await store.close();
    },
  };
}
