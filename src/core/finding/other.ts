export interface SecretEvidence {
  readonly rule: string;
  readonly category: string;
  /** the redacted match; the raw secret is never in a finding */
  readonly match: string;
  readonly key?: string;
}

export interface TlsEvidence {
  readonly used: boolean;
  readonly valid?: boolean;
  readonly reason?: string;
  readonly subject?: string;
}

/** An endpoint that answered a probe it should have refused. */
export interface ProbeEvidence {
  readonly service: string;
  readonly request: string;
  readonly status: number;
  /** what the answer showed: versions, counts — never secret values */
  readonly seen: Readonly<Record<string, unknown>>;
  readonly tls: TlsEvidence;
}

/** A list of a live cluster that could not be read. */
export interface CollectFailureEvidence {
  readonly request: string;
  readonly reason: string;
  readonly status?: number;
  readonly message: string;
  readonly partialItems?: number;
}

export type ExposureEvidence = ProbeEvidence | CollectFailureEvidence;

/**
 * What the verifier reported for the check that failed (a signature, an attestation, a policy rule,
 * an integrity check), as the trust module shapes it; `{ digest }` when nothing was found to check.
 */
export type SignatureEvidence = { readonly reason?: string; readonly digest?: string } & Readonly<
  Record<string, unknown>
>;

/** A Kubernetes audit event that matched a detection rule. */
export interface AuditEvidence {
  /** the rule's priority word as written (`WARNING`, ...) */
  readonly priority: string;
  /** the rule's output, formatted with the event's fields */
  readonly output: string;
  readonly auditID: string;
  /** Extensions: who did what to which resource (`pods/exec`), and a compact excerpt of the event */
  readonly user?: string;
  readonly verb?: string;
  readonly resource?: string;
  readonly event?: Readonly<Record<string, unknown>>;
}

export type AttackHopKind =
  | 'internet'
  | 'service'
  | 'workload'
  | 'image'
  | 'vulnerability'
  | 'privilege'
  | 'serviceaccount'
  | 'permission';

export interface AttackHop {
  readonly kind: AttackHopKind;
  readonly ref: string;
  readonly why: string;
  /** Extensions: the change that breaks this hop (absent: no single change does) */
  readonly fix?: string;
}

/** An attack path, from entry to goal. */
export interface AttackPathEvidence {
  readonly hops: readonly AttackHop[];
  /** Extensions (`strata paths`): what the attacker ends with — `node`, `cluster-admin`, `secrets (cluster-wide)`, ... */
  readonly goal?: string;
  /** 0-10: the goal's weight times the entry, the vulnerability (CRITICAL, fixable, network-reachable) and the chain's length */
  readonly score?: number;
  /** 1 = the highest-scored path of the result */
  readonly rank?: number;
  /** the cheapest change that breaks the path: which hop (0-based index into `hops`) and what to do */
  readonly fix?: { readonly hop: number; readonly action: string };
}
