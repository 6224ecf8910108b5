/** The typed network model the engine works on; parse.ts builds it from untrusted resources once. */

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export type Labels = Readonly<Record<string, string>>;

/** The label the API server sets on every namespace to its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A parsed `metav1.LabelSelector`; `{}` (no labels, no expressions) selects everything. */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly Requirement[];
}

/** A resource path, as the loader's `lineOf` takes it. */
export type ObjectPath = readonly (string | number)[];

/** Where a typed value came from, so findings and explanations point at a file and line. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

export interface NamespaceInfo {
  readonly name: string;
  /** includes the automatic `kubernetes.io/metadata.name` label */
  readonly labels: Labels;
  readonly annotations: Labels;
  /** true when no Namespace object was given and the namespace was inferred from a reference */
  readonly implicit: boolean;
  readonly source?: SourceRef;
}

export interface NamedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface ContainerPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A pod, or a workload whose pod template stands for its pods. */
export interface PodInfo {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly ports: readonly ContainerPort[];
  /** `status.podIP` (and `status.podIPs`) when known */
  readonly ips: readonly string[];
  readonly source: SourceRef;
}

export interface PolicyPort {
  readonly protocol: Protocol;
  /** undefined: every port of the protocol; a string is a named port resolved per destination pod */
  readonly port?: number | string;
  readonly endPort?: number;
}

export type PolicyPeer =
  | {
      readonly kind: 'pods';
      /** undefined: every pod (of the selected namespaces) */
      readonly podSelector?: LabelSelector;
      /** undefined: the policy's own namespace only */
      readonly namespaceSelector?: LabelSelector;
    }
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except: readonly string[] };

export interface PolicyRule {
  /** empty: every peer (any pod, any address) */
  readonly peers: readonly PolicyPeer[];
  /** empty: every port and protocol */
  readonly ports: readonly PolicyPort[];
  readonly line: number;
}

export type Direction = 'ingress' | 'egress';

export interface NetworkPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  /** effective policyTypes after the API's defaulting */
  readonly types: Readonly<Record<Direction, boolean>>;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly source: SourceRef;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServicePort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly targetPort?: number | string;
  readonly nodePort?: number;
}

export interface ServiceInfo {
  readonly namespace: string;
  readonly name: string;
  readonly type: ServiceType;
  /** undefined: a Service without selector (manual endpoints) */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly source: SourceRef;
}

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET';

export interface PeerAuthentication {
  readonly namespace: string;
  readonly name: string;
  readonly selector?: Labels;
  readonly mode: MtlsMode;
  readonly source: SourceRef;
}

/** CNI- and mesh-level encryption facts. */
export interface EncryptionConfig {
  /** Cilium `enable-wireguard` / `enable-ipsec`, Calico `wireguardEnabled`: node-to-node encryption */
  readonly cni: readonly {
    readonly provider: string;
    readonly mechanism: string;
    readonly source: SourceRef;
  }[];
  readonly peerAuthentications: readonly PeerAuthentication[];
  /** the Istio root namespace (mesh-wide policies live here) */
  readonly istioRootNamespace: string;
}

export interface Cluster {
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  readonly pods: readonly PodInfo[];
  readonly services: readonly ServiceInfo[];
  readonly policies: readonly NetworkPolicy[];
  readonly encryption: EncryptionConfig;
}

export type Endpoint =
  | { readonly kind: 'pod'; readonly pod: PodInfo }
  | { readonly kind: 'external'; readonly ip: string };

export const podId = (p: { namespace: string; name: string }): string => `${p.namespace}/${p.name}`;
export const podResource = (p: PodInfo): string => `${p.kind}/${p.namespace}/${p.name}`;
export const policyId = (p: NetworkPolicy): string => `${p.namespace}/${p.name}`;
