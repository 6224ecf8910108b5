import { StrataError } from '../core/errors.js';

export type NotifyErrorCode =
  /** the webhook URL is not an absolute http(s) URL */
  | 'INVALID_URL'
  /** the format is not one of NOTIFY_FORMATS */
  | 'INVALID_FORMAT'
  /** a notifier option is out of range */
  | 'INVALID_OPTION'
  /** a caller that must know (a CLI run) reports notifications that were not delivered */
  | 'UNDELIVERED';

/** A notifier that cannot be built from what the user gave (exit 2). Delivery failures are outcomes, never thrown. */
export class NotifyError extends StrataError<NotifyErrorCode> {}
