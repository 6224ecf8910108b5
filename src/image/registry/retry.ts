import { CancelledError } from '../../core/errors.js';
import { ImageError } from '../errors.js';
import { type HttpRequest, type HttpResponse, header, send, type TransportOptions } from './http.js';

export interface RetryPolicy {
  /** retries after the first attempt */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** a Retry-After longer than this is not waited for: the request fails with TOO_MANY_REQUESTS */
  readonly maxRetryAfterMs: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  sleep: abortableSleep,
};

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const RETRY_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff: base * 2^attempt, capped, with up to 25% jitter taken off. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(raw * (1 - 0.25 * random()));
}

export function networkErrorCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as NodeJS.ErrnoException).code;
  if (code) return code;
  return /socket hang up/i.test(err.message) ? 'ECONNRESET' : undefined;
}

export function isRetryableNetworkError(err: unknown): boolean {
  const code = networkErrorCode(err);
  return code !== undefined && RETRY_NETWORK_CODES.has(code);
}

function unreachable(req: HttpRequest, err: unknown): ImageError {
  const code = networkErrorCode(err);
  const tls = code?.startsWith('ERR_TLS') || code?.includes('CERT') || code === 'EPROTO';
  const hint = tls ? ' (TLS failed: use --insecure for a self-signed registry, or trust its CA)' : '';
  return new ImageError('UNREACHABLE', `cannot reach ${req.url.host}${hint}: ${code ?? 'error'}`, {
    cause: err,
  });
}

/**
 * Sends with bounded retries on 408/429/5xx and on connection resets. A 429 waits for the
 * server's Retry-After when given (up to `maxRetryAfterMs`); otherwise the delay grows
 * exponentially. The last response is returned as is, so callers map its status to an error.
 */
export async function sendWithRetry(
  req: HttpRequest,
  transport: TransportOptions,
  policy: RetryPolicy,
): Promise<HttpResponse> {
  for (let attempt = 0; ; attempt++) {
    let res: HttpResponse;
    try {
      res = await send(req, transport);
    } catch (err) {
      if (req.signal?.aborted) throw new CancelledError();
      if (err instanceof ImageError) throw err;
      if (!isRetryableNetworkError(err) || attempt >= policy.retries) throw unreachable(req, err);
      await policy.sleep(backoffDelay(attempt, policy), req.signal);
      continue;
    }
    if (!RETRY_STATUSES.has(res.status) || attempt >= policy.retries) return res;
    const retryAfter = parseRetryAfter(header(res, 'retry-after'));
    if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) return res;
    res.body.resume();
    await policy.sleep(retryAfter ?? backoffDelay(attempt, policy), req.signal);
  }
}
