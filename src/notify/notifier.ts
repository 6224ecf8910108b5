import { HttpClient, type TlsOptions } from '../transport/index.js';
import { deliver } from './deliver.js';
import { NotifyError } from './errors.js';
import { idempotencyKey, summary } from './format.js';
import { type WebhookTarget, webhookTarget } from './target.js';
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryOutcome,
  type DeliveryPolicy,
  NOTIFY_FORMATS,
  type Notification,
  type NotifierStats,
  type NotifyFormat,
} from './types.js';

export interface NotifierOptions {
  /** the webhook; userinfo becomes `Authorization: Basic`; only its scheme and host are ever printed */
  readonly url: string | URL;
  /** default `json` */
  readonly format?: NotifyFormat;
  /** names the URL in errors (`--forward`) */
  readonly flag?: string;
  /** extra headers on every request (a bearer token for the receiver) */
  readonly headers?: Readonly<Record<string, string>>;
  readonly policy?: Partial<DeliveryPolicy>;
  /** notifications waiting at most (default 1000); when full the oldest is dropped, with a warning */
  readonly queueSize?: number;
  /** deliveries in flight at once (default 2) */
  readonly concurrency?: number;
  readonly tls?: TlsOptions;
  /** a client to share (not closed by close()); default: one of the notifier's own */
  readonly client?: HttpClient;
  /** one line per failed delivery and per dropped notification (at most one drop line a second) */
  readonly onWarning?: (line: string) => void;
  /** every outcome: delivered, failed or dropped (metrics, logs) */
  readonly onOutcome?: (outcome: DeliveryOutcome, notification: Notification) => void;
  /** jitter source (tests) */
  readonly random?: () => number;
}

export const DEFAULT_QUEUE_SIZE = 1000;
const DROP_WARNING_EVERY_MS = 1000;

/**
 * Outbound webhook notifications off the caller's hot path: `notify()` only queues (bounded; a full
 * queue drops its oldest entry, counted), and up to `concurrency` deliveries run in the background,
 * each retried as `deliver` does. `flush()` waits for the queue to drain; `close()` does so within
 * a bound, then abandons what is left (counted as failed). Delivery never throws at the caller.
 */
export class Notifier {
  readonly target: WebhookTarget;
  readonly format: NotifyFormat;
  private readonly policy: DeliveryPolicy;
  private readonly client: HttpClient;
  private readonly ownsClient: boolean;
  private readonly queue: Notification[] = [];
  private readonly queueSize: number;
  private readonly concurrency: number;
  private readonly shutdown = new AbortController();
  private readonly idle: (() => void)[] = [];
  private active = 0;
  private closed = false;
  private lastDropWarning = 0;
  private counts = { accepted: 0, delivered: 0, failed: 0, dropped: 0, attempts: 0 };

  constructor(private readonly options: NotifierOptions) {
    const flag = options.flag ?? 'webhook URL';
    this.target = webhookTarget(options.url, flag);
    this.format = options.format ?? 'json';
    if (!(NOTIFY_FORMATS as readonly string[]).includes(this.format))
      throw new NotifyError('INVALID_FORMAT', `"${this.format}" is not one of ${NOTIFY_FORMATS.join(', ')}`);
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
    this.queueSize = positive('queueSize', options.queueSize ?? DEFAULT_QUEUE_SIZE);
    this.concurrency = positive('concurrency', options.concurrency ?? 2);
    positive('maxAttempts', this.policy.maxAttempts);
    this.ownsClient = !options.client;
    this.client = options.client ?? new HttpClient(options.tls ? { tls: options.tls } : {});
  }

  /** Queues one notification and returns at once; never throws, never waits for the network. */
  notify(n: Notification): void {
    this.counts.accepted++;
    if (this.closed) {
      this.drop(n, 'the notifier is closed');
      return;
    }
    this.queue.push(n);
    if (this.queue.length > this.queueSize) {
      const oldest = this.queue.shift() as Notification;
      this.drop(oldest, `the queue is full (${this.queueSize})`);
    }
    this.pump();
  }

  stats(): NotifierStats {
    return { ...this.counts, pending: this.queue.length + this.active };
  }

  /** Resolves when nothing is pending, or after `timeoutMs` (the stats then show what still is). */
  async flush(timeoutMs = Number.POSITIVE_INFINITY): Promise<NotifierStats> {
    if (this.queue.length + this.active > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idle.push(resolve)),
        ...(Number.isFinite(timeoutMs)
          ? [new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, timeoutMs))))]
          : []),
      ]);
      clearTimeout(timer);
    }
    return this.stats();
  }

  /**
   * Stops accepting, waits up to `timeoutMs` for pending deliveries, then cancels the ones in
   * flight and abandons the queued ones (both counted as failed, with a warning).
   */
  async close(timeoutMs: number): Promise<NotifierStats> {
    this.closed = true;
    await this.flush(timeoutMs);
    if (this.queue.length + this.active > 0) {
      const abandoned = this.queue.splice(0);
      for (const n of abandoned) {
        this.counts.failed++;
        this.report(
          {
            status: 'failed',
            idempotencyKey: idempotencyKey(n),
            attempts: 0,
            reason: 'not sent before shutdown',
            permanent: false,
          },
          n,
        );
      }
      this.shutdown.abort();
      await this.flush();
    }
    if (this.ownsClient) await this.client.close();
    return this.stats();
  }

  private drop(n: Notification, why: string): void {
    this.counts.dropped++;
    const outcome: DeliveryOutcome = { status: 'dropped', idempotencyKey: idempotencyKey(n), reason: why };
    this.options.onOutcome?.(outcome, n);
    const now = Date.now();
    if (now - this.lastDropWarning < DROP_WARNING_EVERY_MS) return;
    this.lastDropWarning = now;
    this.options.onWarning?.(
      `notification to ${this.target.display} dropped: ${why} (${this.counts.dropped} dropped so far)`,
    );
  }

  private report(outcome: DeliveryOutcome, n: Notification): void {
    this.options.onOutcome?.(outcome, n);
    if (outcome.status === 'failed')
      this.options.onWarning?.(
        `notification "${summary(n)}" not delivered to ${this.target.display}: ${outcome.reason}`,
      );
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const n = this.queue.shift() as Notification;
      this.active++;
      void this.run(n);
    }
  }

  private async run(n: Notification): Promise<void> {
    const outcome = await deliver(n, {
      client: this.client,
      target: this.target,
      format: this.format,
      policy: this.policy,
      signal: this.shutdown.signal,
      onAttempt: () => {
        this.counts.attempts++;
      },
      ...(this.options.headers ? { headers: this.options.headers } : {}),
      ...(this.options.random ? { random: this.options.random } : {}),
    }).catch(
      (err: unknown): DeliveryOutcome => ({
        status: 'failed',
        idempotencyKey: idempotencyKey(n),
        attempts: 0,
        reason: `internal error: ${(err as Error).message}`,
        permanent: true,
      }),
    );
    if (outcome.status === 'delivered') this.counts.delivered++;
    else this.counts.failed++;
    this.active--;
    this.report(outcome, n);
    this.pump();
    if (this.queue.length + this.active === 0) for (const resolve of this.idle.splice(0)) resolve();
  }
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new NotifyError('INVALID_OPTION', `notifier ${name}: ${value} is not a positive integer`);
  return value;
}
