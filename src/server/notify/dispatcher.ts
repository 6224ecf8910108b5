import { describeError } from '../../core/index.js';
import { HttpClient, readBody } from '../../transport/index.js';
import type { ClaimedDelivery, NotificationTarget } from '../store/fleet-types.js';
import type { Store } from '../store/types.js';
import type { NotifyEvent } from './events.js';

/** One HTTP delivery: throws when the receiver did not take it (not 2xx, no answer). */
export type Send = (
  target: NotificationTarget,
  body: object,
  idempotencyKey: string,
  signal: AbortSignal,
) => Promise<void>;

/** The body a target gets: the event as JSON, or Slack-compatible `{ text }`. */
export function renderEvent(target: NotificationTarget, event: NotifyEvent, key: string): object {
  if (target.format === 'json') return { id: key, ...event };
  return { text: slackText(event) };
}

function slackText(e: NotifyEvent): string {
  switch (e.type) {
    case 'findings.new': {
      const lines = e.findings
        .slice(0, 20)
        .map(
          (f) =>
            `• *${f.severity}* ${f.id}${f.package ? ` in ${f.package} ${f.version ?? ''}` : ''}${f.fixedVersion ? ` (fixed in ${f.fixedVersion})` : ''}`,
        );
      const more = e.findings.length > 20 ? [`… and ${e.findings.length - 20} more`] : [];
      return [
        `:rotating_light: ${e.findings.length} new CRITICAL/HIGH finding(s) in \`${e.image}\` (${e.source === 'rematch' ? 'new advisories' : 'scan'})`,
        ...lines,
        ...more,
      ].join('\n');
    }
    case 'tag.mutated':
      return `:warning: tag \`${e.image}\` moved from ${e.previousDigest} to ${e.digest}: ${e.reason}`;
    case 'verification.failed':
      return `:x: verification failed for \`${e.image}\`${e.digest ? ` (${e.digest})` : ''}: ${e.reason}`;
  }
}

/** POST with `Idempotency-Key` through Strata's HTTP client (one attempt: the outbox retries). */
export function httpSender(client = new HttpClient({ userAgent: 'strata-notify' })): Send {
  return async (target, body, key, signal) => {
    const res = await client.request({
      method: 'POST',
      url: new URL(target.url),
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: Buffer.from(JSON.stringify(body)),
      kind: 'api-object',
      retry: false,
      signal,
    });
    const text = (await readBody(res)).toString('utf8').slice(0, 200);
    if (res.status < 200 || res.status >= 300)
      throw new Error(`HTTP ${res.status}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`);
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

  constructor(private readonly options: DispatcherOptions) {
    this.send = options.send ?? httpSender();
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
    try {
      await this.send(
        target,
        renderEvent(target, d.event as unknown as NotifyEvent, d.key),
        d.key,
        this.abort.signal,
      );
      await store.outbox.deliveryDone(d.id, d.lease);
      log?.info({ delivery: d.id, target: target.id, attempt: d.attempts }, 'notification delivered');
    } catch (err) {
      const max = this.options.maxAttempts ?? 8;
      const base = this.options.baseDelayMs ?? 2000;
      const delay = Math.min(base * 2 ** (d.attempts - 1), this.options.maxDelayMs ?? 10 * 60_000);
      const retryAt = d.attempts >= max ? undefined : Date.now() + delay;
      const message = describeError(err);
      await store.outbox.deliveryFailed(d.id, d.lease, message, retryAt).catch(() => undefined);
      log?.error(
        { delivery: d.id, target: target.id, attempt: d.attempts, error: message, retryAt },
        retryAt ? 'notification failed; will retry' : 'notification failed; giving up',
      );
    }
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
  }
}
