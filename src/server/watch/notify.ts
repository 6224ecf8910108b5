import type { AlertRow } from './types.js';

/** An alert as the API lists it and the notifier receives it. */
export interface AlertEvent {
  /** stable: the idempotency key of a delivery */
  readonly id: string;
  readonly seq: number;
  readonly kind: string;
  readonly level: 'alert' | 'info';
  readonly severity?: string;
  readonly subject: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly watch?: string;
  readonly job?: string;
  readonly createdAt: string;
}

/**
 * The notification hook: the server calls it for every `alert`-level alert (a tag mutation), at
 * least once — an alert whose call threw or whose server stopped is passed again after its lease
 * (60 s), so a notifier deduplicates by `event.id`. Webhook targets (`src/notify`) plug in here.
 */
export type Notify = (event: AlertEvent) => Promise<void>;

export function alertEvent(a: AlertRow): AlertEvent {
  return {
    id: a.id,
    seq: a.seq,
    kind: a.kind,
    level: a.level,
    ...(a.severity ? { severity: a.severity } : {}),
    subject: a.subject,
    message: a.message,
    details: a.details,
    ...(a.watchId ? { watch: a.watchId } : {}),
    ...(a.jobId ? { job: a.jobId } : {}),
    createdAt: a.createdAt,
  };
}

/** The default notifier: one structured log line per alert (`"msg":"alert"`). */
export function logNotifier(log: { warn(o: object, m: string): void }): Notify {
  return async (event) => {
    const { details: _details, ...line } = event;
    log.warn({ alert: line }, 'alert');
  };
}
