/**
 * The in-process event bus of `strata server`: whoever learns something a person watching the
 * dashboard should see at once publishes it here; `GET /api/v1/events` streams it (server-sent
 * events). The bus keeps the last `capacity` events so a reconnecting client replays what it missed
 * (`Last-Event-ID`). Publishing never blocks and never throws: a failing listener is dropped.
 *
 * Types published today: `scan.done`, `scan.failed` (by the job watcher in api/dashboard.ts, which
 * also sees jobs finished by `strata worker` processes) and `findings.new` (new CRITICAL/HIGH findings
 * of a scan against the previous scan of the same target); by the alert watcher beside it, from the
 * alerts table (so alerts of watch runs in `strata worker` processes count too): `tag.mutated` (a
 * watched tag moved to an unsigned digest), `tag.moved` (info) and `watch.alert` (any other kind).
 * Reserved: `audit.alert` (audit detections).
 */
export type EventType =
  | 'scan.done'
  | 'scan.failed'
  | 'findings.new'
  | 'audit.alert'
  | 'tag.mutated'
  | 'tag.moved'
  | 'watch.alert';

export interface ServerEvent {
  /** increasing from 1 for the life of the process */
  readonly id: number;
  readonly type: EventType;
  /** ISO 8601 */
  readonly time: string;
  /** one line a person can read ("demo:1: 3 new CRITICAL/HIGH findings") */
  readonly message: string;
  readonly severity?: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFO';
  /** type-specific JSON (scan id, target, findings ...) */
  readonly data: Readonly<Record<string, unknown>>;
}

export type EventListener = (event: ServerEvent) => void;

export class EventBus {
  private next = 1;
  private readonly recent: ServerEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly capacity = 200) {}

  publish(event: Omit<ServerEvent, 'id' | 'time'> & { time?: string }): ServerEvent {
    const full: ServerEvent = { ...event, id: this.next++, time: event.time ?? new Date().toISOString() };
    this.recent.push(full);
    if (this.recent.length > this.capacity) this.recent.shift();
    for (const listener of [...this.listeners]) {
      try {
        listener(full);
      } catch {
        this.listeners.delete(listener);
      }
    }
    return full;
  }

  /** Calls `listener` for each event from now on; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The kept events after `afterId` (all kept ones for 0), oldest first. */
  since(afterId: number, limit = this.capacity): ServerEvent[] {
    return this.recent.filter((e) => e.id > afterId).slice(-limit);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
