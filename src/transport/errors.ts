import { StrataError } from '../core/errors.js';

export type TransportErrorCode =
  /** DNS, refused, reset: the server could not be reached or dropped the connection */
  | 'UNREACHABLE'
  /** the TLS handshake failed (untrusted or mismatched certificate, plain HTTP on a TLS port) */
  | 'TLS'
  /** the proxy refused the tunnel or could not be reached */
  | 'PROXY'
  /** no TCP connection within the connect timeout */
  | 'CONNECT_TIMEOUT'
  /** connected, but no byte (headers or body) for the idle timeout */
  | 'IDLE_TIMEOUT'
  /** the whole operation (request and body) did not finish before its deadline */
  | 'DEADLINE'
  /** a body larger than the cap of its kind */
  | 'TOO_LARGE'
  | 'TOO_MANY_REDIRECTS'
  /** the caller's signal ended the request */
  | 'CANCELLED'
  /** a transport option given by the user is unusable (bad proxy URL, unreadable CA file) */
  | 'INVALID_OPTION'
  /** the process cannot run the HTTP client at all (no room for WebAssembly memory) */
  | 'ENVIRONMENT';

/**
 * A request that did not complete. Messages name the method and the (redacted) URL, and the limit
 * that was hit; they never carry credentials or raw server text. All are user errors (exit 2):
 * an unreachable or misbehaving server is the environment, not a bug in Strata.
 */
export class TransportError extends StrataError<TransportErrorCode> {
  /** the undici / node error code behind it, when there was one (ECONNRESET, UND_ERR_SOCKET...) */
  readonly networkCode: string | undefined;

  constructor(
    code: TransportErrorCode,
    message: string,
    options: { cause?: unknown; networkCode?: string | undefined } = {},
  ) {
    super(code, message, { cause: options.cause, userError: true });
    this.networkCode = options.networkCode;
  }
}
