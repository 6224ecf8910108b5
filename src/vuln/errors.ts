import { StrataError } from '../core/errors.js';

export type VulnErrorCode =
  | 'INVALID_VERSION'
  | 'UNSUPPORTED_ECOSYSTEM'
  | 'DB_NOT_FOUND'
  | 'DB_INVALID'
  | 'IMPORT_PATH'
  | 'DOWNLOAD_FAILED'
  /** one ecosystem's export could not be had (HTTP 404, 5xx, a broken transfer); the others still can */
  | 'EXPORT_UNAVAILABLE'
  /** a downloaded export would make the database worse (all bad records, most advisories gone) */
  | 'EXPORT_REJECTED'
  | 'OFFLINE'
  | 'IGNOREFILE_INVALID'
  | 'VEX_INVALID';

/** Errors of the advisory database, the version comparators and the noise filters. */
export class VulnError extends StrataError<VulnErrorCode> {}

export function invalidVersion(scheme: string, version: string, why: string): VulnError {
  return new VulnError('INVALID_VERSION', `${scheme} version "${version}" is not valid: ${why}`);
}
