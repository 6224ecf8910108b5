/** A namespace without a default-deny policy for a direction. */
export interface DefaultDenyEvidence {
  readonly namespace: string;
  readonly direction: 'ingress' | 'egress';
  readonly explanation: string;
}

/** Pods no policy selects. */
export interface UnselectedPodEvidence {
  readonly labels: Readonly<Record<string, string>>;
  readonly explanation: string;
}

/** A policy that selects no pod. */
export interface EmptyPolicyEvidence {
  readonly podSelector: string;
  readonly namespace: string;
}

/** A rule of a policy that admits too much; `peer` names the peer (its text, or its index). */
export interface PolicyRuleEvidence {
  readonly policy: string;
  readonly direction: 'ingress' | 'egress';
  readonly rule: number;
  readonly ports: string;
  readonly peer: string | number;
  readonly ipBlock?: string;
  readonly selector?: string;
  readonly namespaces?: readonly string[];
}

/** A LoadBalancer/NodePort Service in front of pods no ingress policy protects. */
export interface ExposedServiceEvidence {
  readonly type: string;
  readonly ports: readonly string[];
  readonly unprotected: readonly string[];
}

/** Pod-to-pod traffic without encryption. */
export interface UnencryptedEvidence {
  readonly reason: string;
}

/** Istio mTLS in PERMISSIVE mode. */
export interface PermissiveMtlsEvidence {
  readonly mode: string;
  readonly peerAuthentication: string;
}

/** A sensitive port reachable from the internet or other namespaces. */
export interface SensitivePortEvidence {
  readonly port: number;
  readonly protocol: string;
  readonly service: string;
  readonly ingressIsolated: boolean;
  readonly internet: boolean;
  readonly fromNamespaces: readonly string[];
}

/** Egress-isolated pods that cannot reach kube-dns. */
export interface DnsEvidence {
  readonly dns: readonly string[];
  readonly explanation: string;
}

export type NetworkEvidence =
  | DefaultDenyEvidence
  | UnselectedPodEvidence
  | EmptyPolicyEvidence
  | PolicyRuleEvidence
  | ExposedServiceEvidence
  | UnencryptedEvidence
  | PermissiveMtlsEvidence
  | SensitivePortEvidence
  | DnsEvidence;
