import type { Finding, Package, ScanResult } from '../../core/index.js';
import type { LayerCache } from '../../image/index.js';
import type { Scope } from '../tokens.js';
import type { WatchStore } from '../watch/types.js';
import type { OutboxStore, RematchStore } from './fleet-types.js';

export interface TokenRow {
  readonly id: string;
  readonly name: string;
  readonly scope: Scope;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobRow {
  readonly id: string;
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly status: JobStatus;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly error?: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly resultId?: string;
}

/** A job a worker holds until `leaseUntil`; after that, another worker may take it again. */
export interface ClaimedJob extends JobRow {
  readonly lease: string;
}

export interface CredentialRow {
  readonly id: string;
  readonly registry: string;
  readonly username: string;
  readonly createdAt: string;
}

export interface FindingQuery {
  readonly image?: string;
  readonly package?: string;
  readonly version?: string;
  readonly advisory?: string;
  readonly severity?: string;
  /** a stored cluster's name (findings of its cluster scans) */
  readonly cluster?: string;
  /** the namespace of the finding's resource */
  readonly namespace?: string;
  readonly limit: number;
}

export interface FindingHit {
  readonly scanId: string;
  readonly image: string;
  readonly digest?: string;
  readonly finding: Finding;
}

export interface StoredInventory {
  readonly digest: string;
  readonly target: string;
  readonly packages: readonly Package[];
  readonly updatedAt: string;
}

/** How a stored cluster is scanned (`POST /api/v1/clusters`); never its kubeconfig. */
export interface ClusterSettings {
  readonly context?: string;
  readonly namespace?: string;
  /** scan the images the workloads run (default true) */
  readonly scanImages?: boolean;
  readonly scanners?: readonly string[];
  readonly insecure?: boolean;
  readonly imageConcurrency?: number;
}

export interface ClusterRow {
  readonly id: string;
  readonly name: string;
  readonly settings: ClusterSettings;
  /** cluster watch: a scan every this many seconds */
  readonly watchSeconds?: number;
  /** epoch ms of the next watch scan */
  readonly nextScanAt?: number;
  readonly lastJobId?: string;
  readonly createdAt: string;
}

/** One scan of a stored cluster: the images its workloads ran and what changed since the scan before. */
export interface ClusterScanRow {
  readonly jobId: string;
  readonly clusterId: string;
  readonly status: JobStatus;
  readonly images: unknown;
  readonly changes: unknown;
  readonly createdAt: string;
  readonly resultId?: string;
  /** the job's last error */
  readonly error?: string;
}

/**
 * Everything fleet mode keeps. SQLite (embedded) and PostgreSQL implement it; the API, the workers
 * and later the watches and re-matching use only this interface.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** registry watches, their state and alerts (`watch/`) */
  readonly watches: WatchStore;
  /** advisory updates and re-matching (fleet-types.ts) */
  readonly rematch: RematchStore;
  /** notification targets and the delivery outbox (fleet-types.ts) */
  readonly outbox: OutboxStore;
  /** analysed image layers by diffID (the `layer_cache` table), shared by every worker's scans */
  readonly layers: LayerCache;
  migrate(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;

  createToken(row: { id: string; name: string; scope: Scope; hash: string }): Promise<void>;
  findTokenByHash(hash: string): Promise<TokenRow | undefined>;
  listTokens(): Promise<TokenRow[]>;
  revokeToken(id: string): Promise<boolean>;

  putCredential(row: { id: string; registry: string; username: string; password: string }): Promise<void>;
  listCredentials(): Promise<CredentialRow[]>;
  /** the secret, for workers only; the API never returns it */
  credentialFor(registry: string): Promise<{ username: string; password: string } | undefined>;
  deleteCredential(id: string): Promise<boolean>;

  insertJob(row: {
    id: string;
    type: string;
    payload: Record<string, unknown>;
    maxAttempts: number;
  }): Promise<void>;
  getJob(id: string): Promise<JobRow | undefined>;
  listJobs(options: { limit: number; status?: JobStatus }): Promise<JobRow[]>;
  /** Takes the oldest queued job (or one whose lease expired), marks it running and returns it. */
  claimJob(types: readonly string[], leaseSeconds: number): Promise<ClaimedJob | undefined>;
  /** Marks a job running for a queue that claims by itself (pg-boss); false when it already ended. */
  startJob(id: string, lease: string, leaseSeconds: number): Promise<ClaimedJob | undefined>;
  extendLease(id: string, lease: string, leaseSeconds: number): Promise<boolean>;
  /**
   * Writes the result once: only the lease holder of a running job can; false otherwise. A job
   * without a result (an advisory update, a re-match) is marked done.
   */
  completeJob(
    id: string,
    lease: string,
    result: ScanResult | undefined,
    scanners: readonly string[],
  ): Promise<boolean>;
  /** Records an attempt's failure: requeued while attempts remain, else `failed` with the error. */
  failJob(id: string, lease: string, error: string): Promise<JobStatus | undefined>;
  /** Gives a running job back to the queue without counting an attempt (graceful shutdown). */
  releaseJob(id: string, lease: string): Promise<void>;
  getResult(resultId: string): Promise<ScanResult | undefined>;
  queueDepth(): Promise<Record<JobStatus, number>>;

  findFindings(query: FindingQuery): Promise<FindingHit[]>;
  getInventory(digest: string): Promise<StoredInventory | undefined>;
  listInventories(): Promise<StoredInventory[]>;

  /** false when the name is taken */
  putCluster(row: {
    id: string;
    name: string;
    kubeconfig: string;
    settings: ClusterSettings;
    watchSeconds?: number;
    nextScanAt?: number;
  }): Promise<boolean>;
  listClusters(): Promise<ClusterRow[]>;
  getCluster(id: string): Promise<ClusterRow | undefined>;
  /** the kubeconfig, for workers only; the API never returns it */
  clusterKubeconfig(id: string): Promise<string | undefined>;
  deleteCluster(id: string): Promise<boolean>;
  /** watched clusters whose next scan is due at `nowMs` */
  dueClusters(nowMs: number): Promise<ClusterRow[]>;
  /** compare-and-set: moves the next watch scan from `expected` to `next` and records the job; false when another server did */
  scheduleClusterScan(
    id: string,
    expected: number | undefined,
    next: number | undefined,
    jobId: string,
  ): Promise<boolean>;
  /** one row per job (a retried job replaces its row) */
  recordClusterScan(row: {
    jobId: string;
    clusterId: string;
    images: unknown;
    changes: unknown;
  }): Promise<void>;
  /** the cluster's scans, newest first, with their jobs' status */
  listClusterScans(clusterId: string, limit: number): Promise<ClusterScanRow[]>;
  /** the newest done scan of the cluster other than `exceptJobId` */
  previousClusterScan(clusterId: string, exceptJobId: string): Promise<ClusterScanRow | undefined>;
  /** the package inventory of an image digest, for re-matching (images scanned inside a cluster scan) */
  putInventory(digest: string, target: string, packages: readonly Package[]): Promise<void>;
}
