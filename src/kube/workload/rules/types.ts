import type { Severity } from '../../../core/severity.js';
import type { KubeResource, ObjectPath } from '../../load/index.js';
import type { PodTemplate } from '../pod-specs.js';
import type { ContainerRef } from '../view.js';

/** One place a rule fires: the offending field (a path in the resource) and what is wrong there. */
export interface RuleHit {
  readonly path: ObjectPath;
  readonly message: string;
}

/** What a rule inspects: each container of a pod template, the pod template, or a whole resource. */
export type RuleTarget =
  | {
      readonly scope: 'container';
      readonly check: (c: ContainerRef, pod: PodTemplate, r: KubeResource) => readonly RuleHit[];
    }
  | { readonly scope: 'pod'; readonly check: (pod: PodTemplate, r: KubeResource) => readonly RuleHit[] }
  | {
      readonly scope: 'resource';
      readonly kinds: readonly string[];
      readonly check: (r: KubeResource) => readonly RuleHit[];
    };

export interface WorkloadRule {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** why it matters */
  readonly rationale: string;
  readonly remediation: string;
  /** CIS Kubernetes Benchmark / NSA-CISA hardening guide sections, when one applies */
  readonly benchmarks: readonly string[];
  readonly references: readonly string[];
  readonly target: RuleTarget;
}
