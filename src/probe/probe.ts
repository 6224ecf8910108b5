import type { Finding, ScanError } from '../core/types.js';
import { EXPOSURE_CHECKS, type ExposureCheck } from './checks/index.js';
import { PROBE_ANALYZER } from './errors.js';
import { ProbeTransportError, send } from './http.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS } from './light.js';
import { type ResolveOptions, resolveTargets } from './resolve.js';
import { targetName } from './targets.js';
import type { ProbeOptions, ProbeRequest, ProbeResponse, ProbeTarget, Scheme } from './types.js';

export { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS };

export interface ProbeSummary {
  readonly findings: Finding[];
  /** endpoints asked for */
  readonly probed: number;
  /** endpoints that answered at all (open, speaking something else, or refusing the connection) */
  readonly reached: number;
  /** `HOST:PORT (scheme)` of every endpoint that accepted a connection, sorted */
  readonly open: string[];
  /** `HOST:PORT` of every endpoint that refused the connection (the port is closed), sorted */
  readonly closed: string[];
  /** every endpoint that could not be probed (no answer in time, unreachable, did not resolve) */
  readonly errors: ScanError[];
}

interface Endpoint {
  readonly scheme: Scheme;
  readonly first: ProbeResponse;
}

/** What connecting showed: an endpoint to check, a port that answered without HTTP, or nothing. */
type Opened =
  | { readonly kind: 'open'; readonly endpoint: Endpoint }
  | { readonly kind: 'closed' | 'not-http' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Which scheme the endpoint speaks: HTTPS first; a TLS-level failure (a plain HTTP port, or a TLS
 * port that wants a client certificate) falls back to HTTP. A refused connection is a closed port
 * (an answer); a timeout or an unreachable host is an endpoint that could not be probed.
 */
async function open(target: ProbeTarget, timeoutMs: number, signal?: AbortSignal): Promise<Opened> {
  const opener: ProbeRequest = { method: 'GET', path: '/version' };
  for (const scheme of ['https', 'http'] as const) {
    try {
      return {
        kind: 'open',
        endpoint: { scheme, first: await send(scheme, target, opener, timeoutMs, signal) },
      };
    } catch (err) {
      if (!(err instanceof ProbeTransportError)) throw err;
      if (err.reason === 'tls' || err.reason === 'protocol') continue;
      if (err.reason === 'closed' && /ECONNREFUSED/.test(err.message)) return { kind: 'closed' };
      return {
        kind: 'failed',
        reason: err.reason === 'timeout' ? `no answer in ${timeoutMs} ms` : err.message,
      };
    }
  }
  return { kind: 'not-http' };
}

async function probeEndpoint(
  target: ProbeTarget,
  checks: readonly ExposureCheck[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ findings: Finding[]; opened: Opened }> {
  const opened = await open(target, timeoutMs, signal);
  if (opened.kind !== 'open') return { findings: [], opened };
  const endpoint = opened.endpoint;
  const cache = new Map<string, Promise<ProbeResponse | undefined>>([
    ['GET /version', Promise.resolve(endpoint.first)],
  ]);
  const fetch = (req: ProbeRequest): Promise<ProbeResponse | undefined> => {
    const key = `${req.method} ${req.path}${req.method === 'GET' ? ` ${req.accept ?? ''}`.trimEnd() : ''}`;
    const cached = req.method === 'GET' ? cache.get(key) : undefined;
    if (cached) return cached;
    const pending = send(endpoint.scheme, target, req, timeoutMs, signal).catch((err: unknown) => {
      if (err instanceof ProbeTransportError) return undefined;
      throw err;
    });
    if (req.method === 'GET') cache.set(key, pending);
    return pending;
  };
  const findings: Finding[] = [];
  for (const check of checks)
    for (const item of await check.run({ target, scheme: endpoint.scheme, fetch })) findings.push(item);
  return { findings, opened };
}

/**
 * Probes every endpoint with read-only requests, at most `concurrency` at once, each request
 * bounded by `timeoutMs`. Every target is resolved and checked first (resolveTargets: public
 * addresses are refused before anything is sent). Closed and authenticated endpoints yield no
 * finding; endpoints that could not be probed are `errors`, never a silent "no exposure".
 */
export async function probeTargets(
  requested: readonly ProbeTarget[],
  options: ProbeOptions & ResolveOptions & { checks?: readonly ExposureCheck[] } = {},
): Promise<ProbeSummary> {
  const resolved = await resolveTargets(requested, options);
  const targets = resolved.targets;
  const errors: ScanError[] = [...resolved.errors];
  const closed: string[] = [];
  let reached = 0;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const checks = options.checks ?? EXPOSURE_CHECKS;
  const findings: Finding[] = [];
  const openEndpoints: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const target = targets[next++];
      if (!target || options.signal?.aborted) return;
      const r = await probeEndpoint(target, checks, timeoutMs, options.signal);
      for (const item of r.findings) findings.push(item);
      const name = targetName(target);
      if (r.opened.kind === 'failed') {
        errors.push({ analyzer: PROBE_ANALYZER, path: name, message: `not probed: ${r.opened.reason}` });
        continue;
      }
      reached++;
      if (r.opened.kind === 'open') openEndpoints.push(`${name} (${r.opened.endpoint.scheme})`);
      if (r.opened.kind === 'closed') closed.push(name);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  errors.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? ''));
  return {
    findings,
    probed: requested.length,
    reached,
    open: openEndpoints.sort(),
    closed: closed.sort(),
    errors,
  };
}
