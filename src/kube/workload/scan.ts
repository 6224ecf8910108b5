import type { Finding } from '../../core/types.js';
import type { KubeResource } from '../load/index.js';
import { checkPodSecurity, type PssOptions } from './pss/index.js';
import { checkWorkloadRules } from './rules/index.js';

export interface WorkloadScanOptions {
  readonly pss: PssOptions;
}

/** Pod Security Standards plus the workload rules, on every loaded resource. */
export function scanWorkloads(resources: readonly KubeResource[], options: WorkloadScanOptions): Finding[] {
  return [...checkPodSecurity(resources, options.pss), ...checkWorkloadRules(resources)];
}
