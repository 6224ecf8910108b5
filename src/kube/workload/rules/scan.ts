import { type MisconfigurationFinding, misconfigurationFinding } from '../../../core/finding/index.js';
import { closestLine, type KubeResource, resourceRef, stringTable } from '../../load/index.js';
import { formatPath } from '../paths.js';
import { podTemplateOf } from '../pod-specs.js';
import { visitContainers } from '../view.js';
import { WORKLOAD_RULES } from './registry.js';
import type { RuleHit, WorkloadRule } from './types.js';

function hitsOf(rule: WorkloadRule, resource: KubeResource): readonly RuleHit[] {
  const target = rule.target;
  switch (target.scope) {
    case 'resource':
      return target.kinds.includes(resource.kind) ? target.check(resource) : [];
    case 'pod': {
      const pod = podTemplateOf(resource);
      return pod ? target.check(pod, resource) : [];
    }
    case 'container': {
      const pod = podTemplateOf(resource);
      return pod ? visitContainers(pod.spec).flatMap((c) => target.check(c, pod, resource)) : [];
    }
  }
}

/** Findings of the workload rules (STRATA-K8S-*) on every resource: one per offending field. */
export function checkWorkloadRules(
  resources: readonly KubeResource[],
  rules: readonly WorkloadRule[] = WORKLOAD_RULES,
): MisconfigurationFinding[] {
  const findings: MisconfigurationFinding[] = [];
  const text = stringTable();
  for (const resource of resources) {
    let ref: string | undefined;
    for (const rule of rules) {
      for (const hit of hitsOf(rule, resource)) {
        ref ??= resourceRef(resource);
        findings.push(
          misconfigurationFinding({
            id: rule.id,
            severity: rule.severity,
            title: rule.title,
            description: text(`${rule.rationale} (${hit.message})`),
            location: {
              path: resource.file,
              line: closestLine(resource, hit.path),
              resource: ref,
            },
            evidence: rule.benchmarks.length
              ? {
                  message: text(hit.message),
                  field: text(formatPath(hit.path)),
                  remediation: rule.remediation,
                  benchmarks: rule.benchmarks,
                }
              : {
                  message: text(hit.message),
                  field: text(formatPath(hit.path)),
                  remediation: rule.remediation,
                },
            references: rule.references,
          }),
        );
      }
    }
  }
  return findings;
}
