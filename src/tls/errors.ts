import { StrataError } from '../core/errors.js';

export type TlsErrorCode =
  /** the certificate or key file could not be read */
  | 'UNREADABLE'
  /** the files do not make a TLS context (not PEM, or a key that does not match the certificate) */
  | 'INVALID_PAIR';

/** A server's certificate and key that cannot be used (exit 2: the user's files). */
export class TlsError extends StrataError<TlsErrorCode> {}
