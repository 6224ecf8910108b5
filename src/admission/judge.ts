import type { Finding } from '../core/index.js';
import { checkPodSecurity, checkWorkloadRules, type KubeResource, WORKLOAD_RULES } from '../kube/index.js';
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
  // the three modes usually share a level and version: evaluate each distinct one once
  const memo = new Map<string, Finding[]>();
  const pssAt = (lv: LevelVersion): Finding[] => {
    const key = `${lv.level}/${lv.version.latest ? 'latest' : lv.version.minor}`;
    let found = memo.get(key);
    if (!found) {
      found = pss(resource, lv);
      memo.set(key, found);
    }
    return found;
  };
  if (pod || policy.podSecurity.workloads === 'enforce') {
    for (const finding of pssAt(psa.enforce)) {
      denied.add(finding.id);
      out.push({ finding, channel: 'deny' });
    }
  }
  for (const finding of pssAt(psa.warn)) if (!denied.has(finding.id)) out.push({ finding, channel: 'warn' });
  for (const finding of pssAt(psa.audit)) out.push({ finding, channel: 'audit' });
  // only the rules that can deny run (a pod of thousands of containers makes a finding per rule and container)
  const rules = WORKLOAD_RULES.filter((r) => atLeast(r.severity, policy.rules.denySeverity));
  if (rules.length > 0)
    for (const finding of checkWorkloadRules([resource], rules)) out.push({ finding, channel: 'deny' });
  return out;
}
