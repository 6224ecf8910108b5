import type { Finding } from '../core/types.js';
import { EXPOSURE_CHECKS, type ExposureCheck } from './checks/index.js';
import { ProbeTransportError, send } from './http.js';
import { targetName } from './targets.js';
import type { ProbeOptions, ProbeRequest, ProbeResponse, ProbeTarget, Scheme } from './types.js';

export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_CONCURRENCY = 16;

export interface ProbeSummary {
  readonly findings: Finding[];
  /** endpoints probed */
  readonly probed: number;
  /** `HOST:PORT (scheme)` of every endpoint that accepted a connection, sorted */
  readonly open: string[];
}

interface Endpoint {
  readonly scheme: Scheme;
  readonly first: ProbeResponse;
}

/**
 * Which scheme the endpoint speaks: HTTPS first; a TLS-level failure (a plain HTTP port, or a TLS
 * port that wants a client certificate) falls back to HTTP. Refused or silent endpoints are closed.
 */
async function open(
  target: ProbeTarget,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Endpoint | undefined> {
  const opener: ProbeRequest = { method: 'GET', path: '/version' };
  for (const scheme of ['https', 'http'] as const) {
    try {
      return { scheme, first: await send(scheme, target, opener, timeoutMs, signal) };
    } catch (err) {
      if (!(err instanceof ProbeTransportError) || (err.reason !== 'tls' && err.reason !== 'protocol')) {
        return undefined;
      }
    }
  }
  return undefined;
}

async function probeEndpoint(
  target: ProbeTarget,
  checks: readonly ExposureCheck[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ findings: Finding[]; scheme?: Scheme }> {
  const endpoint = await open(target, timeoutMs, signal);
  if (!endpoint) return { findings: [] };
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
  for (const check of checks) findings.push(...(await check.run({ target, scheme: endpoint.scheme, fetch })));
  return { findings, scheme: endpoint.scheme };
}

/**
 * Probes every endpoint with read-only requests, at most `concurrency` at once, each request
 * bounded by `timeoutMs`. Closed, filtered and authenticated endpoints yield nothing.
 */
export async function probeTargets(
  targets: readonly ProbeTarget[],
  options: ProbeOptions & { checks?: readonly ExposureCheck[] } = {},
): Promise<ProbeSummary> {
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
      findings.push(...r.findings);
      if (r.scheme) openEndpoints.push(`${targetName(target)} (${r.scheme})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return { findings, probed: targets.length, open: openEndpoints.sort() };
}
