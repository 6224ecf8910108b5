import { StrataError } from '../core/errors.js';

export type CelRuleErrorCode = 'READ_FAILED' | 'INVALID_RULES' | 'COMPILE_FAILED';

/** A custom rules file that cannot be used: unreadable, malformed, or with an expression that does not compile. */
export class CelRuleError extends StrataError<CelRuleErrorCode> {}
