import { buildResult, type ScanResult } from '../core/index.js';
import { expandTargets, ProbeError, probeTargets, resolveTargets } from '../probe/index.js';
import type { ProgressOptions } from './progress.js';

export interface ProbeScanOptions extends ProgressOptions {
  /** refuse more hosts than this */
  readonly maxTargets: number;
  /** `--allow-public`: probe public addresses too (at most PUBLIC_MAX_TARGETS) */
  readonly allowPublic?: boolean;
  /** ports for targets that name none (default: the services' usual ports) */
  readonly ports?: readonly number[];
  readonly timeoutMs: number;
  /** endpoints probed at once */
  readonly concurrency: number;
}

interface ProbeMetadata {
  readonly endpoints: number;
  readonly reached: number;
  readonly open: readonly string[];
  readonly closed: readonly string[];
}

/**
 * `strata probe <host[:port]|CIDR...>`: read-only exposure probes, as a scan result. Every target
 * is resolved and checked before the first connection (public addresses refused unless
 * `allowPublic`); endpoints that could not be probed are `errors[]` entries.
 */
export async function scanProbe(inputs: readonly string[], options: ProbeScanOptions): Promise<ScanResult> {
  const allowPublic = options.allowPublic === true;
  const expanded = expandTargets(inputs, {
    maxTargets: options.maxTargets,
    allowPublic,
    ...(options.ports ? { ports: options.ports } : {}),
  });
  const resolved = await resolveTargets(expanded, { allowPublic });
  const { timeoutMs, concurrency } = options;
  options.onProgress?.(
    `probe: ${resolved.targets.length} endpoints, ${concurrency} at a time, ${timeoutMs} ms timeout`,
  );
  const summary = await probeTargets(resolved.targets, { timeoutMs, concurrency, allowPublic });
  options.onProgress?.(`probe: ${summary.open.length} answered, ${summary.findings.length} exposures`);
  const probe: ProbeMetadata = {
    endpoints: expanded.length,
    reached: summary.reached,
    open: summary.open,
    closed: summary.closed,
  };
  return buildResult({
    target: { type: 'cluster', name: inputs.join(' ') },
    findings: summary.findings,
    errors: [...resolved.errors, ...summary.errors],
    metadata: { probe },
  });
}

/**
 * The error for a probe scan in which no endpoint answered at all (every one timed out, was
 * unreachable or did not resolve): such a scan must not look like "no exposure".
 */
export function nothingProbed(result: ScanResult): ProbeError | undefined {
  const probe = result.metadata?.probe as ProbeMetadata | undefined;
  if (!probe || probe.reached > 0 || probe.endpoints === 0) return undefined;
  const first = result.errors[0];
  const why = first ? ` (${first.path}: ${first.message})` : '';
  return new ProbeError(
    'NOTHING_PROBED',
    `probe: none of the ${probe.endpoints} endpoints could be probed${why}`,
  );
}
