import { WORKLOAD_KINDS } from '../pod-specs.js';
import { arr, obj, objs, str } from '../view.js';
import { CIS_K8S, K8S_SECURITY_CHECKLIST, NSA_K8S } from './refs.js';
import type { RuleHit, WorkloadRule } from './types.js';

/** Ports of administrative or data services that should never face outside the cluster. */
const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  23: 'Telnet',
  2375: 'Docker API',
  2376: 'Docker API (TLS)',
  2379: 'etcd',
  2380: 'etcd peer',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5900: 'VNC',
  6379: 'Redis',
  6443: 'Kubernetes API',
  9200: 'Elasticsearch',
  10250: 'kubelet',
  10255: 'kubelet read-only',
  11211: 'memcached',
  27017: 'MongoDB',
};

const secretKey = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential)/i;

export const RESOURCE_RULES: readonly WorkloadRule[] = [
  {
    id: 'STRATA-K8S-023',
    severity: 'LOW',
    title: 'Resource in the default namespace',
    rationale: 'The default namespace mixes unrelated workloads under the same policies and RBAC.',
    remediation: 'Create a namespace per application or team and set metadata.namespace.',
    benchmarks: ['CIS Kubernetes Benchmark 5.7.4 (the default namespace should not be used)'],
    references: [CIS_K8S],
    target: {
      scope: 'resource',
      kinds: [...WORKLOAD_KINDS, 'Service', 'ConfigMap', 'Secret', 'Ingress', 'ServiceAccount'],
      check: (r) =>
        r.namespace === undefined || r.namespace === 'default'
          ? [
              {
                path: ['metadata', 'namespace'],
                message: `${r.kind} "${r.name}" is in the default namespace`,
              },
            ]
          : [],
    },
  },
  {
    id: 'STRATA-K8S-024',
    severity: 'HIGH',
    title: 'Service exposes an administrative port outside the cluster',
    rationale:
      'NodePort and LoadBalancer services reach beyond the cluster; admin and database ports there invite attack.',
    remediation: 'Use a ClusterIP service and reach admin ports through kubectl port-forward or a VPN.',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Network separation and hardening'],
    references: [NSA_K8S],
    target: {
      scope: 'resource',
      kinds: ['Service'],
      check: (r) => {
        const spec = obj(r.object, 'spec');
        const type = str(spec, 'type');
        if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
        return objs(spec, 'ports').flatMap((p, i): RuleHit[] => {
          const port = typeof p.port === 'number' ? p.port : undefined;
          const target = typeof p.targetPort === 'number' ? p.targetPort : undefined;
          const hit = [port, target].find((n) => n !== undefined && ADMIN_PORTS[n]);
          return hit === undefined
            ? []
            : [
                {
                  path: ['spec', 'ports', i],
                  message: `${type} service exposes ${ADMIN_PORTS[hit]} port ${hit}`,
                },
              ];
        });
      },
    },
  },
  {
    id: 'STRATA-K8S-025',
    severity: 'LOW',
    title: 'Service of type NodePort',
    rationale:
      'A NodePort opens the port on every node, bypassing ingress controls and load-balancer source filtering.',
    remediation: 'Prefer ClusterIP behind an Ingress or a LoadBalancer with source ranges.',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Network separation and hardening'],
    references: [NSA_K8S],
    target: {
      scope: 'resource',
      kinds: ['Service'],
      check: (r) =>
        str(obj(r.object, 'spec'), 'type') === 'NodePort'
          ? [{ path: ['spec', 'type'], message: `service "${r.name}" is of type NodePort` }]
          : [],
    },
  },
  {
    id: 'STRATA-K8S-026',
    severity: 'MEDIUM',
    title: 'LoadBalancer service open to any source',
    rationale:
      'Without loadBalancerSourceRanges a cloud load balancer accepts traffic from the whole internet.',
    remediation: 'Set spec.loadBalancerSourceRanges to the networks that need access.',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Network separation and hardening'],
    references: [NSA_K8S],
    target: {
      scope: 'resource',
      kinds: ['Service'],
      check: (r) => {
        const spec = obj(r.object, 'spec');
        return str(spec, 'type') === 'LoadBalancer' && arr(spec, 'loadBalancerSourceRanges').length === 0
          ? [
              {
                path: ['spec', 'type'],
                message: `LoadBalancer service "${r.name}" sets no loadBalancerSourceRanges`,
              },
            ]
          : [];
      },
    },
  },
  {
    id: 'STRATA-K8S-027',
    severity: 'MEDIUM',
    title: 'Service sets externalIPs',
    rationale: 'externalIPs let a service intercept traffic to arbitrary addresses (CVE-2020-8554).',
    remediation: 'Remove spec.externalIPs, and block them cluster-wide with an admission policy.',
    benchmarks: [],
    references: ['https://github.com/kubernetes/kubernetes/issues/97076'],
    target: {
      scope: 'resource',
      kinds: ['Service'],
      check: (r) =>
        arr(obj(r.object, 'spec'), 'externalIPs').length > 0
          ? [{ path: ['spec', 'externalIPs'], message: `service "${r.name}" sets externalIPs` }]
          : [],
    },
  },
  {
    id: 'STRATA-K8S-028',
    severity: 'MEDIUM',
    title: 'Ingress without TLS',
    rationale: 'Traffic, including credentials and session cookies, crosses the network in clear text.',
    remediation: 'Add spec.tls with a certificate for every host.',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Network separation and hardening'],
    references: [NSA_K8S],
    target: {
      scope: 'resource',
      kinds: ['Ingress'],
      check: (r) => {
        const spec = obj(r.object, 'spec');
        const tlsHosts = new Set(objs(spec, 'tls').flatMap((t) => arr(t, 'hosts').map(String)));
        const hasTls = objs(spec, 'tls').length > 0;
        if (!hasTls) return [{ path: ['spec'], message: `ingress "${r.name}" has no tls section` }];
        return objs(spec, 'rules').flatMap((rule, i): RuleHit[] => {
          const host = str(rule, 'host');
          return host && !tlsHosts.has(host)
            ? [{ path: ['spec', 'rules', i, 'host'], message: `ingress host ${host} is not covered by tls` }]
            : [];
        });
      },
    },
  },
  {
    id: 'STRATA-K8S-029',
    severity: 'MEDIUM',
    title: 'Credential stored in a ConfigMap',
    rationale:
      'ConfigMaps are not meant for secrets: they are readable more widely and never encrypted at rest.',
    remediation: 'Move the value to a Secret (with encryption at rest) or an external secret store.',
    benchmarks: ['CIS Kubernetes Benchmark 5.4.1 (secrets management)'],
    references: [CIS_K8S],
    target: {
      scope: 'resource',
      kinds: ['ConfigMap'],
      check: (r) => {
        const data = obj(r.object, 'data');
        return Object.entries(data ?? {}).flatMap(([k, v]): RuleHit[] =>
          secretKey.test(k) && typeof v === 'string' && v.length >= 4
            ? [{ path: ['data', k], message: `ConfigMap key ${k} looks like a credential` }]
            : [],
        );
      },
    },
  },
  {
    id: 'STRATA-K8S-030',
    severity: 'LOW',
    title: 'Namespace does not enforce a Pod Security Standard',
    rationale: 'Without the pod-security.kubernetes.io/enforce label the namespace admits privileged pods.',
    remediation: 'Label the namespace pod-security.kubernetes.io/enforce=restricted (or baseline).',
    benchmarks: ['CIS Kubernetes Benchmark 5.2.1 (at least one active policy control mechanism)'],
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
    target: {
      scope: 'resource',
      kinds: ['Namespace'],
      check: (r) => {
        const labels = obj(obj(r.object, 'metadata'), 'labels');
        const level = labels?.['pod-security.kubernetes.io/enforce'];
        return level === 'baseline' || level === 'restricted'
          ? []
          : [
              {
                path: ['metadata', 'labels'],
                message: `namespace "${r.name}" does not enforce baseline or restricted`,
              },
            ];
      },
    },
  },
  {
    id: 'STRATA-K8S-031',
    severity: 'LOW',
    title: 'ServiceAccount mounts its token by default',
    rationale: 'Pods using this account get an API token mounted unless they opt out.',
    remediation: 'Set automountServiceAccountToken: false on the ServiceAccount; opt in per pod when needed.',
    benchmarks: ['CIS Kubernetes Benchmark 5.1.6 (service account tokens only where necessary)'],
    references: [CIS_K8S, K8S_SECURITY_CHECKLIST],
    target: {
      scope: 'resource',
      kinds: ['ServiceAccount'],
      check: (r) =>
        r.object.automountServiceAccountToken === false
          ? []
          : [
              {
                path: ['automountServiceAccountToken'],
                message: `service account "${r.name}" mounts its token by default`,
              },
            ],
    },
  },
];
