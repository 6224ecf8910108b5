import {
  abortableSleep,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  discard,
  errorText,
  type HttpClient,
  type HttpResponse,
  header,
  parseRetryAfter,
  TransportError,
} from '../transport/index.js';
import { idempotencyKey, notificationBody } from './format.js';
import type { WebhookTarget } from './target.js';
import type { DeliveryOutcome, DeliveryPolicy, Notification, NotifyFormat } from './types.js';

export interface DeliverOptions {
  readonly client: HttpClient;
  readonly target: WebhookTarget;
  readonly format: NotifyFormat;
  readonly policy: DeliveryPolicy;
  /** extra request headers (an `Authorization` for the receiver) */
  readonly headers?: Readonly<Record<string, string>>;
  /** ends the delivery (shutdown): the outcome is `failed`, reason `cancelled` */
  readonly signal?: AbortSignal;
  /** called before each HTTP attempt */
  readonly onAttempt?: () => void;
  /** jitter source (tests) */
  readonly random?: () => number;
}

/** One attempt's verdict. */
type Attempt =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'fatal'; readonly reason: string };

const RETRY_TRANSPORT = new Set(['UNREACHABLE', 'CONNECT_TIMEOUT', 'IDLE_TIMEOUT', 'DEADLINE', 'PROXY']);

const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** A transport failure in words that never carry the URL (its path may hold the webhook's token). */
function transportReason(err: TransportError, attemptTimeoutMs: number): string {
  switch (err.code) {
    case 'UNREACHABLE':
      return `cannot reach the server (${err.networkCode ?? 'connection failed'})`;
    case 'CONNECT_TIMEOUT':
      return 'no connection within the connect timeout';
    case 'IDLE_TIMEOUT':
      return 'the server stopped answering (idle timeout)';
    case 'DEADLINE':
      return `no answer within ${secs(attemptTimeoutMs)}`;
    case 'TLS':
      return `TLS failed (${err.networkCode ?? 'handshake'})`;
    case 'PROXY':
      return 'the proxy refused the connection';
    default:
      return err.code.toLowerCase().replace(/_/g, ' ');
  }
}

async function verdict(res: HttpResponse): Promise<Attempt> {
  const { status } = res;
  if (status >= 200 && status < 300) {
    discard(res);
    return { kind: 'delivered', status };
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(header(res, 'retry-after'));
    discard(res);
    return {
      kind: 'retry',
      reason: `HTTP ${status}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  const text = await errorText(res, 120);
  return { kind: 'fatal', reason: `HTTP ${status}${text ? ` (${text})` : ''}` };
}

async function attempt(body: Buffer, key: string, timeoutMs: number, o: DeliverOptions): Promise<Attempt> {
  o.onAttempt?.();
  try {
    const res = await o.client.request({
      method: 'POST',
      url: o.target.url,
      headers: {
        ...o.headers,
        ...(o.target.authorization ? { authorization: o.target.authorization } : {}),
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body,
      kind: 'error-body',
      retry: false,
      deadlineMs: Math.max(1, timeoutMs),
      deadlineOption: 'the attempt timeout',
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return await verdict(res);
  } catch (err) {
    if (o.signal?.aborted) return { kind: 'fatal', reason: 'cancelled' };
    if (!(err instanceof TransportError)) return { kind: 'fatal', reason: 'request failed' };
    const reason = transportReason(err, timeoutMs);
    return RETRY_TRANSPORT.has(err.code) ? { kind: 'retry', reason } : { kind: 'fatal', reason };
  }
}

/**
 * Delivers one notification: POSTs its body with `Idempotency-Key` (the same key and bytes on every
 * attempt), retrying network failures, 408, 429 (after its Retry-After) and 5xx with exponential
 * backoff and jitter, within `maxAttempts` and the whole-delivery `deadlineMs`. Never throws.
 */
export async function deliver(n: Notification, o: DeliverOptions): Promise<DeliveryOutcome> {
  const key = idempotencyKey(n);
  const body = notificationBody(n, o.format, key);
  const { policy } = o;
  const deadline = Date.now() + policy.deadlineMs;
  const backoff = { ...DEFAULT_RETRY_POLICY, baseDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs };
  const failed = (attempts: number, reason: string, permanent: boolean): DeliveryOutcome => ({
    status: 'failed',
    idempotencyKey: key,
    attempts,
    reason,
    permanent,
  });
  for (let attempts = 1; ; attempts++) {
    const remaining = deadline - Date.now();
    const result = await attempt(body, key, Math.min(policy.attemptTimeoutMs, remaining), o);
    if (result.kind === 'delivered')
      return { status: 'delivered', idempotencyKey: key, attempts, httpStatus: result.status };
    if (result.kind === 'fatal') return failed(attempts, result.reason, result.reason !== 'cancelled');
    if (attempts >= policy.maxAttempts)
      return failed(attempts, `${result.reason} (${attempts} attempts)`, false);
    const wait = result.retryAfterMs ?? backoffDelay(attempts - 1, backoff, o.random);
    if (Date.now() + wait >= deadline) {
      const why = result.retryAfterMs !== undefined ? `Retry-After ${secs(wait)}` : `the next attempt`;
      return failed(
        attempts,
        `${result.reason} (${attempts} attempts; ${why} would pass the ${secs(policy.deadlineMs)} deadline)`,
        false,
      );
    }
    try {
      await abortableSleep(wait, o.signal);
    } catch {
      return failed(attempts, 'cancelled', false);
    }
  }
}
