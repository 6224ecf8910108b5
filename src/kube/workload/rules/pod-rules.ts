import { bool, obj, objs, str } from '../view.js';
import { CIS_K8S, K8S_SECURITY_CHECKLIST, NSA_K8S } from './refs.js';
import type { RuleHit, WorkloadRule } from './types.js';

/** Host paths whose mount gives control of the node or its container runtime. */
const SENSITIVE_HOST_PATHS: readonly (readonly [prefix: string, exact: boolean])[] = [
  ['/', true],
  ['/etc', false],
  ['/root', false],
  ['/proc', false],
  ['/sys', false],
  ['/boot', false],
  ['/dev', false],
  ['/var/run', true],
  ['/run', true],
  ['/var/run/docker.sock', false],
  ['/run/docker.sock', false],
  ['/var/run/containerd', false],
  ['/run/containerd', false],
  ['/var/run/crio', false],
  ['/run/crio', false],
  ['/var/lib/kubelet', false],
  ['/var/lib/docker', false],
  ['/var/lib/containerd', false],
  ['/var/lib/etcd', false],
  ['/etc/kubernetes', false],
];

export function isSensitiveHostPath(path: string): boolean {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return SENSITIVE_HOST_PATHS.some(
    ([prefix, exact]) => p === prefix || (!exact && p.startsWith(`${prefix}/`)),
  );
}

export const POD_RULES: readonly WorkloadRule[] = [
  {
    id: 'STRATA-K8S-017',
    severity: 'CRITICAL',
    title: 'Sensitive host path mounted',
    rationale:
      'Mounting the container runtime socket, kubelet state, /etc, /proc or the host root gives the pod control of the node.',
    remediation: 'Remove the hostPath volume; use a CSI driver or a purpose-built API instead.',
    benchmarks: [
      'NSA-CISA Kubernetes Hardening Guidance: Pod security',
      'CIS Kubernetes Benchmark 5.2 (hostPath)',
    ],
    references: [NSA_K8S, CIS_K8S],
    target: {
      scope: 'pod',
      check: (pod) =>
        objs(pod.spec, 'volumes').flatMap((v, i): RuleHit[] => {
          const path = str(obj(v, 'hostPath'), 'path');
          return path && isSensitiveHostPath(path)
            ? [
                {
                  path: [...pod.specPath, 'volumes', i, 'hostPath', 'path'],
                  message: `volume "${str(v, 'name')}" mounts host path ${path}`,
                },
              ]
            : [];
        }),
    },
  },
  {
    id: 'STRATA-K8S-018',
    severity: 'LOW',
    title: 'Service account token mounted automatically',
    rationale:
      'Most workloads never call the Kubernetes API; a mounted token is a credential an attacker can use.',
    remediation:
      'Set automountServiceAccountToken: false on the pod (or the ServiceAccount) unless it needs the API.',
    benchmarks: ['CIS Kubernetes Benchmark 5.1.6 (service account tokens only where necessary)'],
    references: [CIS_K8S],
    target: {
      scope: 'pod',
      check: (pod) =>
        bool(pod.spec, 'automountServiceAccountToken') === false
          ? []
          : [
              {
                path: [...pod.specPath, 'automountServiceAccountToken'],
                message: 'pod does not set automountServiceAccountToken: false',
              },
            ],
    },
  },
  {
    id: 'STRATA-K8S-019',
    severity: 'LOW',
    title: 'Pod uses the default service account',
    rationale:
      'Permissions granted to the default service account reach every pod in the namespace that forgets to choose one.',
    remediation: 'Create a dedicated ServiceAccount per workload and set serviceAccountName.',
    benchmarks: ['CIS Kubernetes Benchmark 5.1.5 (default service accounts are not actively used)'],
    references: [CIS_K8S],
    target: {
      scope: 'pod',
      check: (pod) => {
        const name = str(pod.spec, 'serviceAccountName') || str(pod.spec, 'serviceAccount');
        return name === '' || name === 'default'
          ? [
              {
                path: [...pod.specPath, 'serviceAccountName'],
                message: 'pod runs as service account "default"',
              },
            ]
          : [];
      },
    },
  },
  {
    id: 'STRATA-K8S-020',
    severity: 'MEDIUM',
    title: 'Containers share the process namespace',
    rationale:
      'With shareProcessNamespace every container can see and signal the others and read their /proc (including secrets in env).',
    remediation: 'Remove shareProcessNamespace unless a debugging sidecar truly needs it.',
    benchmarks: [],
    references: [K8S_SECURITY_CHECKLIST],
    target: {
      scope: 'pod',
      check: (pod) =>
        bool(pod.spec, 'shareProcessNamespace') === true
          ? [
              {
                path: [...pod.specPath, 'shareProcessNamespace'],
                message: 'pod sets shareProcessNamespace: true',
              },
            ]
          : [],
    },
  },
  {
    id: 'STRATA-K8S-021',
    severity: 'MEDIUM',
    title: 'System priority class outside kube-system',
    rationale:
      'system-node-critical and system-cluster-critical pods preempt everything else; in user namespaces they enable denial of service.',
    remediation: 'Use an application PriorityClass; reserve system classes for kube-system.',
    benchmarks: [],
    references: ['https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/'],
    target: {
      scope: 'pod',
      check: (pod, r) => {
        const cls = str(pod.spec, 'priorityClassName');
        return (cls === 'system-node-critical' || cls === 'system-cluster-critical') &&
          r.namespace !== 'kube-system'
          ? [{ path: [...pod.specPath, 'priorityClassName'], message: `pod uses priority class ${cls}` }]
          : [];
      },
    },
  },
  {
    id: 'STRATA-K8S-022',
    severity: 'LOW',
    title: 'Pod overrides /etc/hosts',
    rationale: 'hostAliases can redirect well-known names (registries, APIs) to attacker-chosen addresses.',
    remediation: 'Use DNS instead of hostAliases.',
    benchmarks: [],
    references: ['https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/'],
    target: {
      scope: 'pod',
      check: (pod) =>
        objs(pod.spec, 'hostAliases').length > 0
          ? [{ path: [...pod.specPath, 'hostAliases'], message: 'pod sets hostAliases' }]
          : [],
    },
  },
];
