import { StrataError } from '../core/errors.js';

export type TrustErrorCode =
  | 'INVALID_KEY'
  | 'BAD_PASSWORD'
  | 'NO_PASSWORD'
  | 'INVALID_PAYLOAD'
  | 'INVALID_POLICY'
  | 'INVALID_BUNDLE'
  | 'INVALID_PREDICATE'
  | 'INVALID_ARGUMENT'
  | 'TOO_MANY_SIGNATURES';

/** Bad keys, passwords, policies, predicates and bundles: all user errors (exit 2). */
export class TrustError extends StrataError<TrustErrorCode> {
  constructor(code: TrustErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { userError: true, cause: options.cause });
  }
}
