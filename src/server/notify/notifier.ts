import { createHash, randomUUID } from 'node:crypto';
import type { Store } from '../store/types.js';
import { eventKey, NOTIFY_SEVERITIES, type NotifyEvent } from './events.js';

/**
 * `notify(event)`: the one entry point for everything fleet mode tells people about (new
 * CRITICAL/HIGH findings from scans and re-matches, tag mutation, failed verification). It writes
 * one outbox row per target that subscribes to the event's type, keyed by target and event, in
 * the server database; the Dispatcher (any server or worker process) delivers them. Telling the
 * same fact twice is harmless: the key is already queued.
 */
export class Notifier {
  constructor(private readonly store: Store) {}

  /** Queues the event for its targets; the number of deliveries queued (0: none subscribed, or already queued). */
  async notify(event: NotifyEvent): Promise<number> {
    const e =
      event.type === 'findings.new'
        ? { ...event, findings: event.findings.filter((f) => NOTIFY_SEVERITIES.has(f.severity)) }
        : event;
    if (e.type === 'findings.new' && e.findings.length === 0) return 0;
    const targets = (await this.store.outbox.listTargets()).filter((t) => t.events.includes(e.type));
    if (targets.length === 0) return 0;
    const key = eventKey(e);
    return this.store.outbox.enqueue(
      targets.map((t) => ({
        id: randomUUID(),
        targetId: t.id,
        key: createHash('sha256').update(`${t.id}\u0000${key}`).digest('hex'),
        event: e,
      })),
    );
  }
}

/** A watch alert as the watch scheduler hands it over (watch/notify.ts's AlertEvent, structurally). */
export interface WatchAlert {
  readonly kind: string;
  readonly subject: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly watch?: string;
}

/**
 * The watch scheduler's notification hook into the outbox: a `tag-mutated` alert becomes a
 * `tag.mutated` event, a `verification-failed` one a `verification.failed` event; other kinds are
 * not webhook events.
 */
export function alertNotifier(store: Store): (alert: WatchAlert) => Promise<void> {
  const notifier = new Notifier(store);
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return async (a) => {
    const d = a.details;
    const watch = a.watch ? { watch: a.watch } : {};
    if (a.kind === 'tag-mutated')
      await notifier.notify({
        type: 'tag.mutated',
        image: str(d.tag) ?? a.subject,
        previousDigest: str(d.oldDigest) ?? '',
        digest: str(d.newDigest) ?? '',
        reason: str(d.reason) ?? a.message,
        ...watch,
      });
    else if (a.kind === 'verification-failed')
      await notifier.notify({
        type: 'verification.failed',
        image: str(d.image) ?? str(d.tag) ?? a.subject,
        ...(str(d.digest) ? { digest: str(d.digest) as string } : {}),
        reason: str(d.reason) ?? a.message,
        ...watch,
      });
  };
}
