export { discard, errorText, readBody, readPrefix } from './body.js';
export {
  HttpClient,
  type HttpClientOptions,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  header,
  type TlsOptions,
} from './client.js';
export { TransportError, type TransportErrorCode } from './errors.js';
export { type BodyKind, DEFAULT_LIMITS, formatBytes, type Limits } from './limits.js';
export { bypassed, proxyFromEnv } from './proxy.js';
export { redact, redactUrl, registerAuthorization, registerSecret, sanitize } from './redact.js';
export {
  abortableSleep,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableNetworkError,
  networkErrorCode,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.js';
export {
  DEFAULT_TIMEOUTS,
  durationOption,
  operationDeadline,
  parseDuration,
  TIMEOUT_ENV,
  type Timeouts,
  timeoutsFromEnv,
} from './timeouts.js';
