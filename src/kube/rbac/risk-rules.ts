import type { Severity } from '../../core/severity.js';
import type { CapabilityName } from './capabilities.js';

/** A risk a binding grants to its subjects through its role's rules. */
export interface CapabilityRisk {
  readonly id: string;
  readonly capability: CapabilityName;
  /** CIS Kubernetes Benchmark (v1.9) recommendation, when there is one */
  readonly cis?: string;
  /** severity when granted cluster-wide (ClusterRoleBinding), and in one namespace (RoleBinding) */
  readonly severity: { readonly cluster: Severity; readonly namespace: Severity };
  /** what the subjects can do, completed with the scope: "can read secrets" + " cluster-wide" */
  readonly does: string;
}

export const CAPABILITY_RISKS: readonly CapabilityRisk[] = [
  {
    id: 'RBAC-CLUSTER-ADMIN',
    capability: 'everything',
    cis: '5.1.1',
    severity: { cluster: 'CRITICAL', namespace: 'HIGH' },
    does: 'have every permission (cluster-admin equivalent: * verbs on * resources)',
  },
  {
    id: 'RBAC-SECRETS-READ',
    capability: 'readSecrets',
    cis: '5.1.2',
    severity: { cluster: 'HIGH', namespace: 'MEDIUM' },
    does: 'read secrets (get/list/watch)',
  },
  {
    id: 'RBAC-CREATE-PODS',
    capability: 'createWorkloads',
    cis: '5.1.4',
    severity: { cluster: 'HIGH', namespace: 'MEDIUM' },
    does: 'create pods or workloads (which can run as any service account of their namespace and mount its secrets)',
  },
  {
    id: 'RBAC-POD-EXEC',
    capability: 'execInPods',
    severity: { cluster: 'HIGH', namespace: 'MEDIUM' },
    does: 'exec into, attach to or port-forward to pods',
  },
  {
    id: 'RBAC-ESCALATE',
    capability: 'escalate',
    cis: '5.1.8',
    severity: { cluster: 'CRITICAL', namespace: 'HIGH' },
    does: 'escalate roles (grant permissions they do not hold)',
  },
  {
    id: 'RBAC-BIND',
    capability: 'bind',
    cis: '5.1.8',
    severity: { cluster: 'CRITICAL', namespace: 'HIGH' },
    does: 'bind roles (grant any role to anyone)',
  },
  {
    id: 'RBAC-IMPERSONATE',
    capability: 'impersonate',
    cis: '5.1.8',
    severity: { cluster: 'CRITICAL', namespace: 'HIGH' },
    does: 'impersonate users, groups or service accounts',
  },
  {
    id: 'RBAC-NODES-PROXY',
    capability: 'nodesProxy',
    cis: '5.1.10',
    severity: { cluster: 'HIGH', namespace: 'HIGH' },
    does: 'reach the kubelet API through nodes/proxy (exec in any pod of the node)',
  },
  {
    id: 'RBAC-SA-TOKEN-CREATE',
    capability: 'createTokens',
    cis: '5.1.13',
    severity: { cluster: 'HIGH', namespace: 'MEDIUM' },
    does: 'create service account tokens (act as those service accounts)',
  },
  {
    id: 'RBAC-CSR-APPROVE',
    capability: 'approveCsr',
    cis: '5.1.11',
    severity: { cluster: 'CRITICAL', namespace: 'CRITICAL' },
    does: 'create and approve certificate signing requests (mint client certificates)',
  },
  {
    id: 'RBAC-WEBHOOK-WRITE',
    capability: 'writeWebhooks',
    cis: '5.1.12',
    severity: { cluster: 'HIGH', namespace: 'HIGH' },
    does: 'create, change or delete admission webhook configurations',
  },
  {
    id: 'RBAC-PV-CREATE',
    capability: 'createPersistentVolumes',
    cis: '5.1.9',
    severity: { cluster: 'HIGH', namespace: 'MEDIUM' },
    does: 'create persistent volumes (hostPath volumes reach the node filesystem)',
  },
  {
    id: 'RBAC-RBAC-WRITE',
    capability: 'writeRbac',
    severity: { cluster: 'HIGH', namespace: 'MEDIUM' },
    does: 'create or change roles and role bindings',
  },
];

/** Rules that look at roles or subjects rather than a capability. */
export const STRUCTURAL_RISKS = {
  wildcardVerbs: { id: 'RBAC-WILDCARD-VERBS', cis: '5.1.3' },
  wildcardResources: { id: 'RBAC-WILDCARD-RESOURCES', cis: '5.1.3' },
  anonymous: { id: 'RBAC-ANONYMOUS-ACCESS' },
  allAuthenticated: { id: 'RBAC-ALL-AUTHENTICATED' },
  allServiceAccounts: { id: 'RBAC-ALL-SERVICE-ACCOUNTS' },
  defaultServiceAccount: { id: 'RBAC-DEFAULT-SA-BOUND', cis: '5.1.5' },
  systemMasters: { id: 'RBAC-SYSTEM-MASTERS', cis: '5.1.7' },
  escalationPath: { id: 'RBAC-ESCALATION-PATH' },
} as const;

/** Every rule id the analysis can report (documentation and tests walk this list). */
export const RISK_RULE_IDS: readonly string[] = [
  ...CAPABILITY_RISKS.map((r) => r.id),
  ...Object.values(STRUCTURAL_RISKS).map((r) => r.id),
].sort();
