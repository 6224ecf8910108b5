import type { ScanResult } from '../core/index.js';
import { type ClusterScanOptions, scanCluster } from './cluster.js';
import type { ProgressOptions } from './progress.js';

/**
 * `strata k8s`: collect a live cluster read-only and run every Kubernetes analyzer on it; a
 * list the credentials may not read is a warning (and a finding), never the end of the scan.
 */
export async function scanLiveCluster(options: ClusterScanOptions & ProgressOptions): Promise<ScanResult> {
  const { onProgress, onWarning, ...clusterOptions } = options;
  const scan = await scanCluster(clusterOptions);
  for (const f of scan.failures) {
    onWarning?.(`could not read ${f.resource}${f.namespace ? ` in ${f.namespace}` : ''}: ${f.reason}`);
  }
  onProgress?.(
    `k8s: ${scan.resources.length} resources, ${scan.result.findings.length} findings, ${scan.failures.length} lists not readable`,
  );
  return scan.result;
}
