/** Pod Security Standards check (`PSS-*`). */
export interface PssEvidence {
  readonly level: string;
  readonly policy: string;
  readonly pssVersion: string;
  readonly requestedVersion: string;
  readonly check: string;
  readonly reason: string;
  readonly detail: string;
  readonly fields: readonly string[];
}

/** Strata workload rule (`STRATA-K8S-*`) on a Kubernetes resource. */
export interface WorkloadRuleEvidence {
  readonly message: string;
  readonly field: string;
  readonly remediation: string;
  readonly benchmarks?: readonly string[];
}

/** CIS control-plane check on a flag or config field (`CIS-1.2.1`). */
export interface ControlPlaneEvidence {
  readonly component: string;
  readonly setting: string;
  /** the value found, `null` when the setting is absent */
  readonly value: string | null;
  readonly expected: string;
  readonly benchmark: string;
}

/** Dockerfile rule (`STRATA-DF-*`). */
export interface DockerfileEvidence {
  readonly message: string;
  readonly remediation: string;
  readonly instruction?: string;
  readonly startLine?: number;
  readonly stage?: string;
}

/** Image config rule (`STRATA-IMG-*`). */
export interface ImageConfigEvidence {
  readonly message: string;
  readonly remediation: string;
  /** the config field: `config.User`, `history[3].created_by`, ... */
  readonly field: string;
  readonly port?: string;
  readonly name?: string;
  readonly createdBy?: string;
}

/** A user's CEL rule that evaluated to false. */
export interface CelEvidence {
  readonly expression: string;
  readonly rulesFile: string;
  readonly ruleLine: number;
}

export type MisconfigurationEvidence =
  | PssEvidence
  | WorkloadRuleEvidence
  | ControlPlaneEvidence
  | DockerfileEvidence
  | ImageConfigEvidence
  | CelEvidence;
