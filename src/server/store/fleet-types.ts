import type { ScanResult, Severity } from '../../core/index.js';

/** Where an advisory update took its advisories: an OSV mirror (as `db update`) or local exports (as `db import`). */
export interface AdvisorySource {
  readonly mirror?: string;
  readonly ecosystems?: readonly string[];
  readonly paths?: readonly string[];
}

/** One advisory DB update done by a worker; every worker brings its own DB up to the newest `version`. */
export interface AdvisoryUpdateRow {
  readonly id: string;
  /** increasing; a worker whose DB holds an older version refreshes from `source` */
  readonly version: number;
  readonly jobId: string;
  readonly source: AdvisorySource;
  readonly summary: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/** The newest stored result of an image that the vuln scanner made (the base a re-match starts from). */
export interface LatestResult {
  readonly scanId: string;
  readonly resultId: string;
  readonly digest: string;
  readonly target: string;
  readonly scanners: readonly string[];
  readonly result: ScanResult;
}

/** A finding in a notification or a re-match summary: enough to act on, the full one is in the scan. */
export interface FindingBrief {
  readonly id: string;
  readonly severity: Severity;
  readonly title?: string;
  readonly package?: string;
  readonly version?: string;
  readonly fixedVersion?: string;
}

export interface RematchImage {
  readonly digest: string;
  readonly target: string;
  /** the scan the re-match started from */
  readonly previousScan?: string;
  /** the re-match's own scan record (kind `rematch-image`), when the result changed */
  readonly scan?: string;
  readonly newFindings: readonly FindingBrief[];
  readonly fixed: number;
}

export interface RematchRow {
  readonly id: string;
  readonly updateId?: string;
  readonly advisoryVersion?: number;
  /** images re-matched */
  readonly images: number;
  /** images whose result changed (new or fixed findings) */
  readonly changed: number;
  /** images with at least one new finding: the newly affected images */
  readonly affected: number;
  readonly createdAt: string;
  readonly items: readonly RematchImage[];
}

/** Advisory updates and re-matching (src/server/rematch). */
export interface RematchStore {
  /** records an update with the next version; the same job recorded again returns its row */
  recordAdvisoryUpdate(row: {
    id: string;
    jobId: string;
    source: AdvisorySource;
    summary: Record<string, unknown>;
  }): Promise<AdvisoryUpdateRow>;
  latestAdvisoryUpdate(): Promise<AdvisoryUpdateRow | undefined>;
  listAdvisoryUpdates(limit: number): Promise<AdvisoryUpdateRow[]>;
  /** digests of stored inventories, in order */
  inventoryDigests(): Promise<string[]>;
  /** the newest done scan of `digest` whose scanners include vuln, other than `except` */
  latestResult(digest: string, except?: string): Promise<LatestResult | undefined>;
  /**
   * Writes one image's re-match once (keyed by re-match and digest): when `result` is given, a
   * done `rematch-image` scan `scanId` holding it (deduplicated like any result).
   */
  recordRematchImage(
    rematchId: string,
    image: RematchImage & { result?: ScanResult; scanners: readonly string[] },
  ): Promise<void>;
  /** the images a re-match recorded so far */
  rematchImages(rematchId: string): Promise<RematchImage[]>;
  finishRematch(row: Omit<RematchRow, 'items' | 'createdAt'>): Promise<void>;
  getRematch(id: string): Promise<RematchRow | undefined>;
  listRematches(limit: number): Promise<Omit<RematchRow, 'items'>[]>;
}

export type NotifyFormat = 'json' | 'slack';
export const NOTIFY_EVENTS = ['findings.new', 'tag.mutated', 'verification.failed'] as const;
export type NotifyEventType = (typeof NOTIFY_EVENTS)[number];

export interface NotificationTarget {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly format: NotifyFormat;
  readonly events: readonly NotifyEventType[];
  /** `api` (POST /api/v1/notifications) or `config` (server flags/YAML, replaced at each start) */
  readonly origin: 'api' | 'config';
  readonly createdAt: string;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

export interface Delivery {
  readonly id: string;
  readonly targetId: string;
  readonly key: string;
  readonly event: Readonly<Record<string, unknown>>;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly error?: string;
  readonly createdAt: string;
  readonly deliveredAt?: string;
}

export interface ClaimedDelivery extends Delivery {
  readonly lease: string;
}

/** Notification targets and the delivery outbox (src/server/notify). */
export interface OutboxStore {
  putTarget(row: Omit<NotificationTarget, 'createdAt'>): Promise<void>;
  listTargets(): Promise<NotificationTarget[]>;
  deleteTarget(id: string): Promise<boolean>;
  /** replaces the targets of origin `config` */
  replaceConfigTargets(rows: readonly Omit<NotificationTarget, 'createdAt' | 'origin'>[]): Promise<void>;
  /** queues deliveries; a key already queued is left alone (at-least-once, never twice per key) */
  enqueue(rows: readonly { id: string; targetId: string; key: string; event: object }[]): Promise<number>;
  /** takes due deliveries (pending and due, or delivering with an expired lease) */
  claimDeliveries(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]>;
  deliveryDone(id: string, lease: string): Promise<boolean>;
  /** `retryAt` undefined: give up (`failed`) */
  deliveryFailed(id: string, lease: string, error: string, retryAt: number | undefined): Promise<boolean>;
  listDeliveries(limit: number): Promise<Delivery[]>;
}
