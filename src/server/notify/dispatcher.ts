import { describeError } from '../../core/index.js';
import { DEFAULT_DELIVERY_POLICY, deliver, type Notification, webhookTarget } from '../../notify/index.js';
import { HttpClient } from '../../transport/index.js';
import type { ClaimedDelivery, NotificationTarget } from '../store/fleet-types.js';
import type { Store } from '../store/types.js';
import type { NotifyEvent } from './events.js';

/** One HTTP delivery; `permanent` when retrying cannot help (a 4xx other than 408/429). */
export type Send = (
  target: NotificationTarget,
  notification: Notification,
  signal: AbortSignal,
) => Promise<{ ok: true } | { ok: false; reason: string; permanent: boolean }>;

function titleOf(e: NotifyEvent): string {
  switch (e.type) {
    case 'findings.new':
      return `${e.findings.length} new CRITICAL/HIGH finding${e.findings.length === 1 ? '' : 's'} in ${e.image}${e.source === 'rematch' ? ' (new advisories)' : ''}`;
    case 'tag.mutated':
      return `tag mutated: ${e.image} moved from ${e.previousDigest} to ${e.digest}`;
    case 'verification.failed':
      return `verification failed: ${e.image}`;
  }
}

/** Slack lines: every detail a short string (src/notify prints one line per detail). */
function textDetails(e: NotifyEvent): Record<string, string> {
  const { type: _type, ...rest } = e;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k === 'findings' && Array.isArray(v))
      out[k] = (v as { severity: string; id: string; package?: string; version?: string }[])
        .slice(0, 20)
        .map((f) => `${f.severity} ${f.id}${f.package ? ` (${f.package} ${f.version ?? ''})` : ''}`.trim())
        .join('; ');
    else if (v !== undefined) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/**
 * The notification a target gets, through src/notify's bodies: JSON `{idempotencyKey, summary,
 * kind: "message", title, details}` with the whole event as `details`, or Slack-compatible text.
 */
export function notificationOf(target: NotificationTarget, event: NotifyEvent, key: string): Notification {
  return {
    kind: 'message',
    title: titleOf(event),
    details: target.format === 'json' ? { ...event } : textDetails(event),
    idempotencyKey: key,
  };
}

/** One attempt through src/notify's `deliver` (the outbox does the retrying, across restarts too). */
export function httpSender(client: HttpClient): Send {
  return async (target, notification, signal) => {
    const outcome = await deliver(notification, {
      client,
      target: webhookTarget(target.url, `notification target ${target.id}`),
      format: target.format,
      policy: { ...DEFAULT_DELIVERY_POLICY, maxAttempts: 1 },
      signal,
    });
    if (outcome.status === 'delivered') return { ok: true };
    return {
      ok: false,
      // one attempt each time: src/notify's "(1 attempts)" says nothing here
      reason: outcome.status === 'failed' ? outcome.reason.replace(/ \(1 attempts?\)$/, '') : 'dropped',
      permanent: outcome.status === 'failed' && outcome.permanent,
    };
  };
}

export interface DispatcherOptions {
  readonly store: Store;
  readonly send?: Send;
  readonly pollMs?: number;
  /** first retry after this long, doubling up to maxDelayMs */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** attempts before a delivery ends `failed` */
  readonly maxAttempts?: number;
  readonly leaseSeconds?: number;
  readonly log?: { error(o: object, m: string): void; info(o: object, m: string): void };
}

/**
 * Delivers the outbox: claims due rows with a lease (one process takes each), sends, marks them
 * delivered, or schedules the next attempt with exponential backoff; after `maxAttempts` the row
 * ends `failed` with the last error. A process killed mid-delivery leaves a lease that expires and
 * another takes the row again: at-least-once, with the same Idempotency-Key every time.
 */
export class Dispatcher {
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly send: Send;
  private readonly client = new HttpClient({ userAgent: 'strata-notify' });

  constructor(private readonly options: DispatcherOptions) {
    this.send = options.send ?? httpSender(this.client);
  }

  start(): void {
    this.loop = this.run();
  }

  /** Delivers what is due now; the number of rows handled. */
  async tick(): Promise<number> {
    const { store } = this.options;
    const claimed = await store.outbox.claimDeliveries(20, this.options.leaseSeconds ?? 60);
    if (claimed.length === 0) return 0;
    const targets = new Map((await store.outbox.listTargets()).map((t) => [t.id, t]));
    await Promise.all(claimed.map((d) => this.deliver(d, targets.get(d.targetId))));
    return claimed.length;
  }

  private async deliver(d: ClaimedDelivery, target: NotificationTarget | undefined): Promise<void> {
    const { store, log } = this.options;
    if (!target) {
      await store.outbox.deliveryFailed(d.id, d.lease, 'the notification target was deleted', undefined);
      return;
    }
    let failure: { reason: string; permanent: boolean };
    try {
      const sent = await this.send(
        target,
        notificationOf(target, d.event as unknown as NotifyEvent, d.key),
        this.abort.signal,
      );
      if (sent.ok) {
        await store.outbox.deliveryDone(d.id, d.lease);
        log?.info({ delivery: d.id, target: target.id, attempt: d.attempts }, 'notification delivered');
        return;
      }
      failure = sent;
    } catch (err) {
      failure = { reason: describeError(err), permanent: false };
    }
    const max = this.options.maxAttempts ?? 8;
    const base = this.options.baseDelayMs ?? 2000;
    const delay = Math.min(base * 2 ** (d.attempts - 1), this.options.maxDelayMs ?? 10 * 60_000);
    const retryAt = failure.permanent || d.attempts >= max ? undefined : Date.now() + delay;
    await store.outbox.deliveryFailed(d.id, d.lease, failure.reason, retryAt).catch(() => undefined);
    log?.error(
      { delivery: d.id, target: target.id, attempt: d.attempts, error: failure.reason, retryAt },
      retryAt ? 'notification failed; will retry' : 'notification failed; giving up',
    );
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let handled = 0;
      try {
        handled = await this.tick();
      } catch (err) {
        this.options.log?.error({ err: describeError(err) }, 'notification outbox unavailable; retrying');
      }
      if (handled === 0 && !this.stopped)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.abort.abort();
    await this.loop;
    await this.client.close();
  }
}
