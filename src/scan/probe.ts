import { buildResult, type ScanResult } from '../core/index.js';
import { expandTargets, probeTargets } from '../probe/index.js';
import type { ProgressOptions } from './progress.js';

export interface ProbeScanOptions extends ProgressOptions {
  /** refuse more hosts than this */
  readonly maxTargets: number;
  /** ports for targets that name none (default: the services' usual ports) */
  readonly ports?: readonly number[];
  readonly timeoutMs: number;
  /** endpoints probed at once */
  readonly concurrency: number;
}

/** `strata probe <host[:port]|CIDR...>`: read-only exposure probes, as a scan result. */
export async function scanProbe(inputs: readonly string[], options: ProbeScanOptions): Promise<ScanResult> {
  const targets = expandTargets(inputs, {
    maxTargets: options.maxTargets,
    ...(options.ports ? { ports: options.ports } : {}),
  });
  const { timeoutMs, concurrency } = options;
  options.onProgress?.(
    `probe: ${targets.length} endpoints, ${concurrency} at a time, ${timeoutMs} ms timeout`,
  );
  const summary = await probeTargets(targets, { timeoutMs, concurrency });
  options.onProgress?.(`probe: ${summary.open.length} answered, ${summary.findings.length} exposures`);
  return buildResult({
    target: { type: 'cluster', name: inputs.join(' ') },
    findings: summary.findings,
    metadata: { probe: { endpoints: summary.probed, open: summary.open } },
  });
}
