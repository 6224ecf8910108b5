export { type DeliverOptions, deliver } from './deliver.js';
export { NotifyError, type NotifyErrorCode } from './errors.js';
export {
  escapeMrkdwn,
  idempotencyKey,
  MAX_TEXT_FINDINGS,
  notificationBody,
  slackText,
  summary,
} from './format.js';
export { DEFAULT_QUEUE_SIZE, Notifier, type NotifierOptions } from './notifier.js';
export { type WebhookTarget, webhookTarget } from './target.js';
export {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryOutcome,
  type DeliveryPolicy,
  NOTIFY_FORMATS,
  type Notification,
  type NotifierStats,
  type NotifyFormat,
} from './types.js';
