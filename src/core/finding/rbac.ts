/** One rule of a role, as written, with where it is. */
export interface RbacRuleEvidence {
  readonly index: number;
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly file: string;
  readonly line: number;
}

/** A risk of a binding: who is granted what, through which role. */
export interface BindingEvidence {
  readonly binding: string;
  readonly role: string;
  readonly scope: string;
  readonly subjects: readonly string[];
  readonly rules?: readonly RbacRuleEvidence[];
  readonly cis?: string;
}

/** A wildcard in a role's rules. */
export interface RoleEvidence {
  readonly role: string;
  readonly rules: readonly RbacRuleEvidence[];
  readonly cis: string;
}

export interface EscalationStep {
  readonly step: number;
  readonly from: string;
  readonly to: string;
  readonly action: string;
  readonly binding: string;
  readonly role: string;
}

/** A chain of subjects from a start to a holder of cluster-wide rights. */
export interface EscalationEvidence {
  readonly subject: string;
  readonly reaches: string;
  readonly goals: readonly string[];
  readonly steps: readonly EscalationStep[];
}

export type RbacEvidence = BindingEvidence | RoleEvidence | EscalationEvidence;
