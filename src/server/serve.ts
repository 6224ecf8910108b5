import { buildApi } from './api/app.js';
import { ClusterWatcher } from './clusters/watch.js';
import { type DatabaseLocation, parseDatabase, parseListen } from './config.js';
import { Metrics } from './metrics.js';
import { alertNotifier, Dispatcher } from './notify/index.js';
import { openStore } from './open-store.js';
import { fleetHooks } from './rematch/hooks.js';
import { derivedId } from './rematch/rematch.js';
import { scheduleDbUpdates } from './rematch/schedule.js';
import { type AdvisorySource, NOTIFY_EVENTS, type NotifyFormat } from './store/fleet-types.js';
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
  /** where db-update jobs take advisories (`--db-mirror`, `--db-ecosystems`, `--db-import`) */
  readonly dbSource?: AdvisorySource;
  /** `--db-update-interval`: queue a db-update (and re-match) this often; off when undefined */
  readonly dbUpdateIntervalMs?: number;
  /** `--notify-webhook`: targets from the configuration (replace the earlier configured ones) */
  readonly webhooks?: readonly { readonly url: string; readonly format: NotifyFormat }[];
  /** first retry of a failed notification after this long (doubling); default 2 s */
  readonly notifyRetryMs?: number;
}

/** Alerts go to the log and to the webhook outbox. */
const both =
  (...hooks: Notify[]): Notify =>
  async (event) => {
    for (const h of hooks) await h(event);
  };

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
  // started while PostgreSQL restarts: wait for it (a minute) instead of exiting
  const store = await openStore(parseDatabase(options.database), {
    waitMs: 60_000,
    onWait: (message) => process.stderr.write(`strata server: ${message}\n`),
  });
  const metrics = new Metrics(store);
  let worker: Worker | undefined;
  if (options.webhooks)
    await store.outbox.replaceConfigTargets(
      options.webhooks.map((t) => ({
        id: derivedId('notify-config', t.format, t.url),
        name: `config: ${t.format}`,
        url: t.url,
        format: t.format,
        events: [...NOTIFY_EVENTS],
      })),
    );
  const app = await buildApi({
    store,
    metrics,
    ...(options.dbSource ? { dbSource: options.dbSource } : {}),
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
    ...fleetHooks(store, options.db, app.log),
  });
  const dispatcher = new Dispatcher({
    store,
    log: app.log,
    ...(options.notifyRetryMs ? { baseDelayMs: options.notifyRetryMs } : {}),
  });
  const scheduler = new WatchScheduler({
    store,
    tickMs: options.watchTickMs ?? 2000,
    notify: options.notify ?? both(logNotifier(app.log), alertNotifier(store)),
    onQueued: () => worker?.notify(),
    log: app.log,
  });
  const address = await app.listen({ host, port });
  worker.start();
  scheduler.start();
  dispatcher.start();
  const schedule = options.dbUpdateIntervalMs
    ? scheduleDbUpdates({
        store,
        intervalMs: options.dbUpdateIntervalMs,
        source: options.dbSource ?? {},
        onQueued: () => worker?.notify(),
        log: app.log,
      })
    : undefined;
  const watches = new ClusterWatcher({ store, log: app.log, onQueued: () => worker?.notify() });
  watches.start();
  let closing: Promise<void> | undefined;
  return {
    url: address,
    close: () => {
      closing ??= (async () => {
        schedule?.stop();
        await app.close();
        await scheduler.stop();
        await watches.stop();
        await worker?.stop(options.shutdownGraceMs);
        await dispatcher.stop();
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
  /** first retry of a failed notification after this long (doubling); default 2 s */
  readonly notifyRetryMs?: number;
}

/** `strata worker`: the worker loop alone, logging JSON lines to stdout. */
export async function runWorker(options: WorkerProcessOptions): Promise<{ close(): Promise<void> }> {
  const line = (level: string) => (o: object, msg: string) =>
    process.stdout.write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, ...o, msg })}\n`);
  const log = { info: line('info'), error: line('error') };
  // a worker started while PostgreSQL restarts waits for it (a minute) instead of exiting
  const store = await openStore(options.location, {
    waitMs: 60_000,
    onWait: (message) => log.error({}, message),
  });
  const worker = new Worker({
    store,
    concurrency: options.concurrency,
    leaseSeconds: options.leaseSeconds,
    pollMs: 500,
    log,
    ...(options.db ? { db: options.db } : {}),
    ...fleetHooks(store, options.db, log),
  });
  const dispatcher = new Dispatcher({
    store,
    log,
    ...(options.notifyRetryMs ? { baseDelayMs: options.notifyRetryMs } : {}),
  });
  worker.start();
  dispatcher.start();
  return {
    close: async () => {
      await worker.stop(options.shutdownGraceMs);
      await dispatcher.stop();
      await store.close();
    },
  };
}
