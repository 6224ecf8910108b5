import { StrataError } from '../../core/errors.js';
import type { ImageHandle } from '../types.js';
import { type Endpoint, formatEndpoint } from './endpoint.js';

/** What one image source answered. Only `found` ends the search; the others become its reasons. */
export type Attempt =
  | { readonly kind: 'found'; readonly image: ImageHandle }
  /** no daemon there (no socket, nothing listening): skipped silently when another source has it */
  | { readonly kind: 'absent'; readonly reason: string }
  /** the daemon answered: it has no such image */
  | { readonly kind: 'missing'; readonly reason: string }
  /** the daemon is there but the image could not be read from it */
  | { readonly kind: 'failed'; readonly reason: string; readonly error: unknown };

const ABSENT_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK']);

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++) {
    const o = e as { networkCode?: unknown; code?: unknown; cause?: unknown };
    if (typeof o.networkCode === 'string') return o.networkCode;
    if (typeof o.code === 'string' && /^E[A-Z]+$/.test(o.code)) return o.code;
    e = o.cause;
  }
  return undefined;
}

/** A connection error, told as "no daemon" when nothing listens there, else as a failure. */
export function connectionAttempt(err: unknown, endpoint: Endpoint): Attempt {
  const code = codeOf(err);
  const where = formatEndpoint(endpoint);
  if (code && ABSENT_CODES.has(code)) return { kind: 'absent', reason: `no daemon at ${where} (${code})` };
  if (code === 'EACCES' || code === 'EPERM') {
    return { kind: 'failed', reason: `permission denied on ${where}`, error: err };
  }
  const message = err instanceof StrataError || err instanceof Error ? err.message : String(err);
  return { kind: 'failed', reason: message, error: err };
}
