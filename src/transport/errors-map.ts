import { TransportError, type TransportErrorCode } from './errors.js';
import { redact, redactUrl } from './redact.js';
import { networkErrorCode } from './retry.js';
import { seconds, TIMEOUT_ENV, type Timeouts } from './timeouts.js';

/** Errors that already name their request (made here), so they are not wrapped twice. */
const contextual = new WeakSet<Error>();

export interface RequestContext {
  readonly method: string;
  readonly url: URL;
  readonly timeouts: Timeouts;
  /** the signals that may end the request: the caller's (cancel, --timeout) */
  readonly signal: AbortSignal;
}

export function describeRequest(ctx: Pick<RequestContext, 'method' | 'url'>): string {
  return `${ctx.method} ${redactUrl(ctx.url)}`;
}

export function requestError(
  ctx: Pick<RequestContext, 'method' | 'url'>,
  code: TransportErrorCode,
  text: string,
  cause?: unknown,
): TransportError {
  const err = new TransportError(code, redact(`${describeRequest(ctx)}: ${text}`), {
    cause,
    networkCode: networkErrorCode(cause),
  });
  contextual.add(err);
  return err;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

function isTls(code: string | undefined, message: string): boolean {
  return (
    code !== undefined &&
    (code.startsWith('ERR_TLS') ||
      code.startsWith('ERR_SSL') ||
      code.includes('CERT') ||
      code === 'EPROTO' ||
      code === 'UND_ERR_PRX_TLS' ||
      /SELF_SIGNED|UNABLE_TO_VERIFY|ssl|tls/i.test(`${code} ${message}`))
  );
}

/** Maps whatever undici, node or a signal threw into one TransportError naming the request. */
export function mapTransportError(err: unknown, ctx: RequestContext): TransportError {
  if (err instanceof TransportError && contextual.has(err)) return err;
  const reason: unknown = ctx.signal.aborted ? ctx.signal.reason : undefined;
  if (reason instanceof TransportError) return requestError(ctx, reason.code, reason.message, err);
  if (ctx.signal.aborted) return requestError(ctx, 'CANCELLED', 'cancelled', err);
  if (err instanceof TransportError) return requestError(ctx, err.code, err.message, err);
  const code = networkErrorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const t = ctx.timeouts;
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return requestError(
        ctx,
        'CONNECT_TIMEOUT',
        `no connection within ${seconds(t.connectMs)} (${TIMEOUT_ENV.connectMs})`,
        err,
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return requestError(
        ctx,
        'IDLE_TIMEOUT',
        `no answer within ${seconds(t.idleMs)} (${TIMEOUT_ENV.idleMs})`,
        err,
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return requestError(
        ctx,
        'IDLE_TIMEOUT',
        `the answer stalled: no data for ${seconds(t.idleMs)} (${TIMEOUT_ENV.idleMs})`,
        err,
      );
    default:
  }
  if (/Proxy response \((\d+)\)/.test(message)) {
    const status = /Proxy response \((\d+)\)/.exec(message)?.[1];
    return requestError(ctx, 'PROXY', `the proxy refused the tunnel (HTTP ${status})`, err);
  }
  if (isTls(code, message)) {
    return requestError(ctx, 'TLS', `TLS failed (${code ?? 'handshake'})`, err);
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return requestError(ctx, 'UNREACHABLE', `cannot reach the server (${code})`, err);
  }
  return requestError(ctx, 'UNREACHABLE', `request failed (${code ?? 'error'})`, err);
}
