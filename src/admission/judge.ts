import type { Finding } from '../core/index.js';
import { checkPodSecurity, checkWorkloadRules, type KubeResource } from '../kube/index.js';
import { atLeast } from './findings.js';
import type { NamespacePodSecurity } from './pod-security.js';
import type { AdmissionPolicy, LevelVersion } from './policy/types.js';

/** Where a finding goes: `deny` follows the policy's mode; `warn` and `audit` are PSA's own modes. */
export type Channel = 'deny' | 'warn' | 'audit';

export interface Judged {
  readonly finding: Finding;
  readonly channel: Channel;
  /** the image a finding is about (signature and vulnerability findings), named in its reason */
  readonly about?: string;
}

function pss(resource: KubeResource, lv: LevelVersion): Finding[] {
  if (lv.level === 'privileged') return [];
  return checkPodSecurity([resource], { level: lv.level, version: lv.version });
}

/**
 * The findings `strata config` gives for the object (same ids, same evidence), sorted into
 * channels as Pod Security Admission does: the enforce level denies Pods (workload kinds only
 * warn, unless `podSecurity.workloads: enforce`), the warn level warns, the audit level audits;
 * Strata's workload rules at or above `rules.denySeverity` deny.
 */
export function judgeObject(
  resource: KubeResource,
  pod: boolean,
  psa: NamespacePodSecurity,
  policy: AdmissionPolicy,
): Judged[] {
  const out: Judged[] = [];
  const denied = new Set<string>();
  if (pod || policy.podSecurity.workloads === 'enforce') {
    for (const finding of pss(resource, psa.enforce)) {
      denied.add(finding.id);
      out.push({ finding, channel: 'deny' });
    }
  }
  for (const finding of pss(resource, psa.warn))
    if (!denied.has(finding.id)) out.push({ finding, channel: 'warn' });
  for (const finding of pss(resource, psa.audit)) out.push({ finding, channel: 'audit' });
  for (const finding of checkWorkloadRules([resource]))
    if (atLeast(finding.severity, policy.rules.denySeverity)) out.push({ finding, channel: 'deny' });
  return out;
}
