import { StrataError } from '../../../core/errors.js';

/** Why a language file could not be read; each becomes one line in the analyzer's `errors[]`. */
export type LangErrorCode = 'MALFORMED' | 'TOO_LARGE' | 'UNSUPPORTED';

export class LangError extends StrataError<LangErrorCode> {}

export function malformed(what: string, cause?: unknown): LangError {
  return new LangError('MALFORMED', what, { cause });
}
