import type { Finding } from '../core/index.js';

/** Body formats: `json` (the notification as a JSON object) and `slack` (`{"text": ...}`, mrkdwn). */
export const NOTIFY_FORMATS = ['json', 'slack'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

/**
 * What is sent. `findings`: one or more findings (an audit alert, a new CRITICAL finding, a
 * `signature` finding for a mutated tag); `message`: an operational event with no finding.
 * `idempotencyKey`, when given, is sent as is (give a stable one, e.g. from the finding and the
 * image digest, to let the receiver drop a re-send after a restart); otherwise it is derived from
 * the content, so the same notification always carries the same key.
 */
export type Notification =
  | {
      readonly kind: 'findings';
      /** what the findings are about: an image reference, a cluster, an audit log */
      readonly target?: string;
      readonly findings: readonly Finding[];
      readonly idempotencyKey?: string;
    }
  | {
      readonly kind: 'message';
      readonly title: string;
      readonly details?: Readonly<Record<string, unknown>>;
      readonly idempotencyKey?: string;
    };

/** How one delivery is retried. */
export interface DeliveryPolicy {
  /** attempts in all, the first included */
  readonly maxAttempts: number;
  /** the whole delivery (every attempt and every wait) ends by then */
  readonly deadlineMs: number;
  /** one attempt's deadline (connect, send, answer) */
  readonly attemptTimeoutMs: number;
  /** backoff: base * 2^(attempt-1), capped at maxDelayMs, up to 25% jitter taken off */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 5,
  deadlineMs: 60_000,
  attemptTimeoutMs: 10_000,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
};

export type DeliveryOutcome =
  | {
      readonly status: 'delivered';
      readonly idempotencyKey: string;
      readonly attempts: number;
      /** the receiver's 2xx status */
      readonly httpStatus: number;
    }
  | {
      readonly status: 'failed';
      readonly idempotencyKey: string;
      readonly attempts: number;
      /** one line, no credentials: `HTTP 400 (bad payload)`, `cannot reach the server (ECONNREFUSED)` */
      readonly reason: string;
      /** true when retrying cannot help (a 4xx other than 408/429, a TLS failure) */
      readonly permanent: boolean;
    }
  | {
      /** removed from a full queue (oldest first) or sent after close: never attempted */
      readonly status: 'dropped';
      readonly idempotencyKey: string;
      readonly reason: string;
    };

/** Counters since the notifier was made. */
export interface NotifierStats {
  /** notify() calls: delivered + failed + dropped + pending */
  readonly accepted: number;
  readonly delivered: number;
  /** attempted and given up (or abandoned at close) */
  readonly failed: number;
  /** never attempted: pushed out of a full queue, or sent after close */
  readonly dropped: number;
  /** waiting or in flight */
  readonly pending: number;
  /** HTTP attempts made, retries included */
  readonly attempts: number;
}
