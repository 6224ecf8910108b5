import { describe, expect, it } from 'vitest';
import { parseKubeText } from '../../load/index.js';
import { WORKLOAD_RULES } from './registry.js';
import { checkWorkloadRules } from './scan.js';

/** A Deployment whose only container is `container` (YAML lines at 10 spaces) and pod spec extras (6 spaces). */
function deployment(container: string, podExtra = '', namespace = 'shop'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
spec:
  template:
    spec:
${podExtra}      containers:
        - name: app
${container}`;
}

const HARDENED = `          image: registry.example.com/web@sha256:${'a'.repeat(64)}
          resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 1, memory: 1Gi}}
          livenessProbe: {httpGet: {port: 8080}}
          readinessProbe: {httpGet: {port: 8080}}
          securityContext: {readOnlyRootFilesystem: true, runAsUser: 10001, runAsGroup: 10001}
`;
const HARDENED_POD = `      serviceAccountName: web
      automountServiceAccountToken: false
`;

function ids(text: string, id: string): [string, number | undefined][] {
  const { resources, errors } = parseKubeText(text, 'm.yaml');
  expect(errors).toEqual([]);
  const rule = WORKLOAD_RULES.filter((r) => r.id === id);
  return checkWorkloadRules(resources, rule).map((f) => [f.id, f.location.line]);
}

const swap = (from: RegExp, to: string) => HARDENED.replace(from, to);

// [rule, manifest that breaks it, line the finding points at]
const FIRES: readonly [string, string, number][] = [
  ['STRATA-K8S-001', deployment(swap(/limits: \{[^}]*\}, /, ''), HARDENED_POD), 14],
  ['STRATA-K8S-002', deployment(swap(/, requests: \{[^}]*\}/, ''), HARDENED_POD), 14],
  ['STRATA-K8S-003', deployment(swap(/image: .*/, 'image: nginx:latest'), HARDENED_POD), 13],
  ['STRATA-K8S-004', deployment(swap(/image: .*/, 'image: registry.example.com/web:1.2'), HARDENED_POD), 13],
  [
    'STRATA-K8S-005',
    deployment(swap(/image: .*/, 'image: nginx\n          imagePullPolicy: IfNotPresent'), HARDENED_POD),
    14,
  ],
  ['STRATA-K8S-006', deployment(swap(/ {10}livenessProbe.*\n/, ''), HARDENED_POD), 12],
  ['STRATA-K8S-007', deployment(swap(/ {10}readinessProbe.*\n/, ''), HARDENED_POD), 12],
  [
    'STRATA-K8S-008',
    deployment(
      `${HARDENED}          env:\n            - name: DB_PASSWORD\n              valueFrom: {secretKeyRef: {name: db, key: pw}}\n`,
      HARDENED_POD,
    ),
    19,
  ],
  [
    'STRATA-K8S-009',
    deployment(
      `${HARDENED}          env:\n            - name: API_TOKEN\n              value: hunter2hunter2\n`,
      HARDENED_POD,
    ),
    20,
  ],
  ['STRATA-K8S-010', deployment(swap(/readOnlyRootFilesystem: true, /, ''), HARDENED_POD), 17],
  ['STRATA-K8S-011', deployment(swap(/runAsUser: 10001/, 'runAsUser: 1000'), HARDENED_POD), 17],
  ['STRATA-K8S-012', deployment(swap(/runAsGroup: 10001/, 'runAsGroup: 0'), HARDENED_POD), 17],
  ['STRATA-K8S-013', deployment(`${HARDENED}          ports: [{containerPort: 22}]\n`, HARDENED_POD), 18],
  [
    'STRATA-K8S-014',
    deployment(
      `${HARDENED}          volumeMounts: [{name: logs, mountPath: /host/logs}]\n`,
      `${HARDENED_POD}      volumes: [{name: logs, hostPath: {path: /var/log/app}}]\n`,
    ),
    19,
  ],
  [
    'STRATA-K8S-015',
    deployment(swap(/image: .*/, `image: library/web@sha256:${'a'.repeat(64)}`), HARDENED_POD),
    13,
  ],
  [
    'STRATA-K8S-016',
    deployment(
      swap(/runAsGroup: 10001/, 'runAsGroup: 10001, capabilities: {add: [SYS_ADMIN]}'),
      HARDENED_POD,
    ),
    17,
  ],
  [
    'STRATA-K8S-017',
    deployment(
      HARDENED,
      `${HARDENED_POD}      volumes:\n        - name: sock\n          hostPath:\n            path: /var/run/docker.sock\n`,
    ),
    14,
  ],
  ['STRATA-K8S-018', deployment(HARDENED, '      serviceAccountName: web\n'), 8],
  ['STRATA-K8S-019', deployment(HARDENED, '      automountServiceAccountToken: false\n'), 8],
  ['STRATA-K8S-020', deployment(HARDENED, `${HARDENED_POD}      shareProcessNamespace: true\n`), 11],
  [
    'STRATA-K8S-021',
    deployment(HARDENED, `${HARDENED_POD}      priorityClassName: system-node-critical\n`),
    11,
  ],
  [
    'STRATA-K8S-022',
    deployment(
      HARDENED,
      `${HARDENED_POD}      hostAliases: [{ip: 1.2.3.4, hostnames: [registry.example.com]}]\n`,
    ),
    11,
  ],
  ['STRATA-K8S-023', deployment(HARDENED, HARDENED_POD, 'default'), 5],
  [
    'STRATA-K8S-024',
    'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: x}\nspec:\n  type: NodePort\n  ports:\n    - port: 5432\n',
    7,
  ],
  [
    'STRATA-K8S-025',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\nspec:\n  type: NodePort\n',
    5,
  ],
  [
    'STRATA-K8S-026',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\nspec:\n  type: LoadBalancer\n',
    5,
  ],
  [
    'STRATA-K8S-027',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\nspec:\n  externalIPs: [1.2.3.4]\n',
    5,
  ],
  [
    'STRATA-K8S-028',
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: x}\nspec:\n  tls: [{hosts: [a.example.com]}]\n  rules:\n    - host: a.example.com\n    - host: b.example.com\n',
    8,
  ],
  [
    'STRATA-K8S-029',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\ndata:\n  db_password: s3cr3tpw\n',
    5,
  ],
  ['STRATA-K8S-030', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: a}\n', 5],
  ['STRATA-K8S-031', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: x}\n', 1],
];

// the same rule on a manifest that satisfies it
const QUIET: readonly [string, string][] = [
  ['STRATA-K8S-001..023 on a hardened deployment', deployment(HARDENED, HARDENED_POD)],
  [
    'STRATA-K8S-024',
    'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: x}\nspec:\n  ports: [{port: 5432}]\n',
  ],
  [
    'STRATA-K8S-026',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n',
  ],
  [
    'STRATA-K8S-028',
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: x}\nspec:\n  tls: [{hosts: [a.example.com]}]\n  rules: [{host: a.example.com}]\n',
  ],
  [
    'STRATA-K8S-029',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\ndata:\n  log_level: debug\n',
  ],
  [
    'STRATA-K8S-030',
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: restricted}\n',
  ],
  [
    'STRATA-K8S-031',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: x}\nautomountServiceAccountToken: false\n',
  ],
];

describe('workload rules', () => {
  it.each(FIRES)('%s fires and points at the offending line', (id, text, line) => {
    expect(ids(text, id)).toEqual([[id, line]]);
  });

  it.each(QUIET)('%s stays quiet on a compliant manifest', (_name, text) => {
    const { resources } = parseKubeText(text, 'm.yaml');
    expect(checkWorkloadRules(resources)).toEqual([]);
  });

  it('has at least 25 rules, each with a unique id, rationale, remediation and reference', () => {
    expect(WORKLOAD_RULES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(WORKLOAD_RULES.map((r) => r.id)).size).toBe(WORKLOAD_RULES.length);
    for (const r of WORKLOAD_RULES) {
      expect(r.rationale.length, r.id).toBeGreaterThan(20);
      expect(r.remediation.length, r.id).toBeGreaterThan(10);
      expect(r.references.length, r.id).toBeGreaterThan(0);
    }
    expect(FIRES.map(([id]) => id)).toEqual(WORKLOAD_RULES.map((r) => r.id));
  });
});
