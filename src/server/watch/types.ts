import type { ScanResult } from '../../core/index.js';

/** What a registry watch looks at and how (stored as the watch's `config`). */
export interface RegistryWatchConfig {
  /** host[:port] as in image references */
  readonly registry: string;
  /** globs over repository names (`team/*`, `**`); none: every repository of the catalog */
  readonly repositories?: readonly string[];
  readonly insecure: boolean;
  /** scanners of the scans queued for new digests */
  readonly scanners: readonly string[];
  /** a verification policy (the `strata verify --policy` file format), as its text */
  readonly policy?: string;
  /** `n` of `/v2/_catalog` and `/tags/list` pages */
  readonly pageSize: number;
}

/** What one run saw and did. */
export interface WatchStats {
  readonly repositories: number;
  readonly tags: number;
  readonly newDigests: number;
  readonly scansQueued: number;
  readonly moved: number;
  readonly mutated: number;
}

export interface WatchRow {
  readonly id: string;
  readonly name: string;
  readonly kind: 'registry';
  readonly config: RegistryWatchConfig;
  /** seconds between runs */
  readonly interval: number;
  /** epoch milliseconds */
  readonly nextRunAt: number;
  readonly lastJobId?: string;
  readonly lastRunAt?: string;
  readonly lastStats?: WatchStats;
  readonly createdAt: string;
}

export type AlertLevel = 'alert' | 'info';

/**
 * Something a watch (later: re-matching, cluster watches) noticed. `alert` level ones are passed to
 * the notifier; `info` ones are only listed.
 */
export interface AlertRow {
  readonly id: string;
  /** increases with every alert: `GET /api/v1/alerts?after=SEQ` reads only newer ones */
  readonly seq: number;
  /** `tag-mutated` (a finding), `tag-moved` (info) */
  readonly kind: string;
  readonly level: AlertLevel;
  readonly severity?: string;
  /** what it is about: `host/repo:tag` */
  readonly subject: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly watchId?: string;
  readonly jobId?: string;
  readonly createdAt: string;
}

export type NewAlert = Omit<AlertRow, 'id' | 'seq' | 'createdAt' | 'watchId' | 'jobId'>;

export interface TagState {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
}

/** A scan a run wants queued: skipped when the digest was scanned (or is queued) with these scanners. */
export interface ScanRequest {
  readonly digest: string;
  /** sorted, comma-joined (as results store them) */
  readonly scanners: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly maxAttempts: number;
}

/** Everything one run writes, in one transaction, at most once per run id. */
export interface WatchRunCommit {
  readonly watchId: string;
  readonly runId: string;
  readonly tags: readonly TagState[];
  readonly alerts: readonly NewAlert[];
  readonly scans: readonly ScanRequest[];
  readonly result: ScanResult;
  readonly stats: WatchStats;
}

export interface AlertQuery {
  readonly after?: number;
  readonly kind?: string;
  readonly level?: AlertLevel;
  readonly watch?: string;
  readonly limit: number;
}

/** The job a scheduler queues for a watch (the job module decides its type and payload). */
export type WatchJobFactory = (
  watch: WatchRow,
  jobId: string,
) => {
  type: string;
  payload: Record<string, unknown>;
  maxAttempts: number;
};

/** Watches, their state and alerts; SQLite and PostgreSQL implement it beside their Store. */
export interface WatchStore {
  create(row: {
    id: string;
    name: string;
    kind: 'registry';
    config: RegistryWatchConfig;
    interval: number;
  }): Promise<WatchRow>;
  get(id: string): Promise<WatchRow | undefined>;
  list(): Promise<WatchRow[]>;
  delete(id: string): Promise<boolean>;
  /**
   * Queues a job for every watch due at `now` whose previous job has ended, and moves its next run
   * one interval on, in one transaction; on PostgreSQL only the holder of an advisory lock does
   * it, so several servers never queue the same run twice.
   */
  claimDue(now: number, job: WatchJobFactory, limit: number): Promise<{ watchId: string; jobId: string }[]>;
  /** Queues a run now (unless one is queued or running); the job id, or undefined when none was queued. */
  runNow(id: string, job: WatchJobFactory): Promise<{ jobId: string; queued: boolean } | undefined>;
  tagState(watchId: string): Promise<TagState[]>;
  getRun(runId: string): Promise<{ result: ScanResult; stats: WatchStats } | undefined>;
  /** Writes a run (tag state, alerts, queued scans, its result); false when the run was already written. */
  commitRun(commit: WatchRunCommit): Promise<{ written: boolean; queued: string[] }>;
  listAlerts(query: AlertQuery): Promise<AlertRow[]>;
  /** `alert`-level alerts not yet passed to the notifier, leased for `leaseMs` (at-least-once). */
  claimAlerts(leaseMs: number, limit: number): Promise<AlertRow[]>;
  markDispatched(ids: readonly string[]): Promise<void>;
}
