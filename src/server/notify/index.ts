/**
 * Fleet-mode notifications: `new Notifier(store).notify(event)` queues an event for every webhook
 * target subscribed to its type (outbox table, keyed for idempotency); a Dispatcher in each
 * server/worker process delivers the outbox with retries and backoff.
 */
export { Dispatcher, type DispatcherOptions, httpSender, notificationOf, type Send } from './dispatcher.js';
export {
  brief,
  eventKey,
  type FindingsNewEvent,
  NOTIFY_SEVERITIES,
  type NotifyEvent,
  newFindings,
  type TagMutatedEvent,
  type VerificationFailedEvent,
} from './events.js';
export { alertNotifier, Notifier, type WatchAlert } from './notifier.js';
