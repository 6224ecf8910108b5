/** Fleet mode: the store, the job queue and workers, and the HTTP API of `strata server`. */
export { buildApi } from './api/app.js';
export { defaultServerDatabase, parseDatabase, parseListen } from './config.js';
export { diffResults } from './diff.js';
export { ServerError, type ServerErrorCode } from './errors.js';
export { EventBus, type EventType, type ServerEvent } from './events.js';
export { JOB_TYPES, jobType } from './jobs/index.js';
export { Metrics } from './metrics.js';
export {
  alertNotifier,
  Dispatcher,
  Notifier,
  type NotifyEvent,
} from './notify/index.js';
export { openStore } from './open-store.js';
export {
  applyAdvisorySource,
  dbUpdateJob,
  rematchAll,
  rematchJob,
  rematchResult,
} from './rematch/index.js';
export {
  type RunningServer,
  runWorker,
  type ServeOptions,
  serve,
  type WorkerProcessOptions,
} from './serve.js';
export type { AdvisorySource, NotificationTarget, RematchRow } from './store/fleet-types.js';
export { PostgresStore } from './store/postgres.js';
export { SqliteStore } from './store/sqlite.js';
export type { JobRow, JobStatus, Store, TokenRow } from './store/types.js';
export { generateToken, hashToken, isScope, SCOPES, type Scope } from './tokens.js';
export { Worker } from './worker.js';
