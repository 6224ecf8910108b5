import { StrataError } from '../core/index.js';

export type AuditErrorCode =
  /** a rules file is missing, not YAML, or has a bad item (the message names file, line and item) */
  | 'INVALID_RULES'
  /** a condition does not parse, or names an unknown field, macro or list */
  | 'INVALID_CONDITION'
  /** an input line or document is not a Kubernetes audit event */
  | 'INVALID_EVENT';

/** Errors of audit-log detection; all are about the user's input (exit 2). */
export class AuditError extends StrataError<AuditErrorCode> {}
