import { describe, expect, it } from 'vitest';
import { ClassEngine } from './engine.js';
import { evaluate } from './evaluate.js';
import { clusterOf, endpoint, namespace, pod, policy } from './testing/builders.js';
import type { Cluster, Protocol } from './types.js';

/** A small cluster the scenarios share: two labelled namespaces, one unlabelled, kube-dns. */
const BASE = [
  namespace('prod', { team: 'a', env: 'prod' }),
  namespace('dev', { team: 'b' }),
  namespace('other'),
  namespace('kube-system'),
  pod('prod', 'web', { labels: { app: 'web' }, ports: ['http:8080', 'metrics:9090'], ip: '10.0.0.1' }),
  pod('prod', 'db', { labels: { app: 'db', tier: 'data' }, ports: ['pg:5432'], ip: '10.0.0.2' }),
  pod('prod', 'cache', { labels: { app: 'cache' }, ports: ['6379'], ip: '10.0.0.3' }),
  pod('dev', 'client', { labels: { app: 'client' }, ip: '10.0.1.1' }),
  pod('dev', 'web', { labels: { app: 'web' }, ports: ['http:80'], ip: '10.0.1.2' }),
  pod('other', 'tool', { labels: { app: 'tool', role: 'admin' }, ip: 'fd00::5' }),
  pod('kube-system', 'dns', { labels: { 'k8s-app': 'kube-dns' }, ports: ['dns:53/UDP', 'dns-tcp:53/TCP'] }),
];

type Case = [string, Record<string, unknown>[], string, string, string, boolean];

/** Both engines must give the expected verdict: the pod-by-pod evaluator and the class engine. */
function verdicts(
  cluster: Cluster,
  from: string,
  to: string,
  portSpec: string,
): [boolean, boolean | undefined] {
  const [p, proto] = portSpec.split('/');
  const protocol = (proto ?? 'TCP') as Protocol;
  const src = endpoint(cluster, from);
  const dst = endpoint(cluster, to);
  const brute = evaluate(cluster, { src, dst, port: Number(p), protocol }).allowed;
  if (src.kind !== 'pod' || dst.kind !== 'pod') return [brute, undefined];
  const engine = new ClassEngine(cluster);
  const classes = engine.allowed(engine.classOf.get(src.pod)!, engine.classOf.get(dst.pod)!);
  return [brute, classes.has(protocol, Number(p))];
}

const denyIngressDb = policy('prod', 'db-deny', {
  podSelector: { matchLabels: { app: 'db' } },
  policyTypes: ['Ingress'],
});
const defaultDenyProd = policy('prod', 'default-deny', { podSelector: {} });
const dbFrom = (from: unknown[], ports?: unknown[]) =>
  policy('prod', 'db-allow', {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from, ...(ports ? { ports } : {}) }],
  });

const CASES: Case[] = [
  // isolation
  ['no policy: every pod is non-isolated and accepts everything', [], 'dev/client', 'prod/db', '5432', true],
  [
    'a policy with no ingress rules isolates the pods it selects',
    [denyIngressDb],
    'prod/web',
    'prod/db',
    '5432',
    false,
  ],
  [
    'an ingress-only policy leaves egress of the same pod open',
    [denyIngressDb],
    'prod/db',
    'prod/web',
    '8080',
    true,
  ],
  [
    'pods a policy does not select stay non-isolated',
    [denyIngressDb],
    'prod/web',
    'prod/cache',
    '6379',
    true,
  ],
  [
    'empty podSelector selects every pod of the namespace',
    [defaultDenyProd],
    'dev/client',
    'prod/web',
    '8080',
    false,
  ],
  ['a policy never selects pods of other namespaces', [defaultDenyProd], 'prod/web', 'dev/web', '80', true],
  // policyTypes defaulting
  [
    'policyTypes default to Ingress and Egress when egress rules exist (egress isolated)',
    [
      policy('prod', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }],
      }),
    ],
    'prod/web',
    'prod/cache',
    '6379',
    false,
  ],
  [
    'policyTypes default to Ingress even when only egress rules exist (ingress isolated)',
    [
      policy('prod', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        egress: [{ to: [{ podSelector: {} }] }],
      }),
    ],
    'dev/client',
    'prod/web',
    '8080',
    false,
  ],
  [
    'an empty egress list does not add Egress to the default policyTypes',
    [policy('prod', 'p', { podSelector: {}, egress: [] })],
    'prod/web',
    'dev/client',
    '443',
    true,
  ],
  [
    'policyTypes [Egress] with no rules denies egress',
    [policy('prod', 'p', { podSelector: {}, policyTypes: ['Egress'] })],
    'prod/web',
    'prod/db',
    '5432',
    false,
  ],
  [
    'policyTypes [Egress] leaves ingress open',
    [policy('prod', 'p', { podSelector: {}, policyTypes: ['Egress'] })],
    'dev/client',
    'prod/db',
    '5432',
    true,
  ],
  // rules and peers
  ['a rule with an empty from allows every source', [dbFrom([])], 'dev/client', 'prod/db', '5432', true],
  [
    'a rule with an empty from allows sources outside the cluster',
    [dbFrom([])],
    '198.51.100.7',
    'prod/db',
    '5432',
    true,
  ],
  [
    'podSelector alone matches pods of the policy namespace',
    [dbFrom([{ podSelector: { matchLabels: { app: 'web' } } }])],
    'prod/web',
    'prod/db',
    '5432',
    true,
  ],
  [
    'podSelector alone does not match the same labels elsewhere',
    [dbFrom([{ podSelector: { matchLabels: { app: 'web' } } }])],
    'dev/web',
    'prod/db',
    '5432',
    false,
  ],
  [
    'namespaceSelector alone matches every pod of the selected namespaces',
    [dbFrom([{ namespaceSelector: { matchLabels: { team: 'b' } } }])],
    'dev/client',
    'prod/db',
    '5432',
    true,
  ],
  [
    'namespaceSelector alone does not match other namespaces',
    [dbFrom([{ namespaceSelector: { matchLabels: { team: 'b' } } }])],
    'prod/web',
    'prod/db',
    '5432',
    false,
  ],
  [
    'podSelector AND namespaceSelector in one peer: both must match (match)',
    [
      dbFrom([
        { namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'web' } } },
      ]),
    ],
    'dev/web',
    'prod/db',
    '5432',
    true,
  ],
  [
    'podSelector AND namespaceSelector in one peer: both must match (pod differs)',
    [
      dbFrom([
        { namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'web' } } },
      ]),
    ],
    'dev/client',
    'prod/db',
    '5432',
    false,
  ],
  [
    'two peers are OR-ed (second peer matches)',
    [
      dbFrom([
        { namespaceSelector: { matchLabels: { team: 'b' } } },
        { podSelector: { matchLabels: { app: 'web' } } },
      ]),
    ],
    'prod/web',
    'prod/db',
    '5432',
    true,
  ],
  [
    'two peers are OR-ed (neither matches)',
    [
      dbFrom([
        { namespaceSelector: { matchLabels: { team: 'b' } } },
        { podSelector: { matchLabels: { app: 'web' } } },
      ]),
    ],
    'other/tool',
    'prod/db',
    '5432',
    false,
  ],
  [
    'empty namespaceSelector matches all namespaces',
    [dbFrom([{ namespaceSelector: {} }])],
    'other/tool',
    'prod/db',
    '5432',
    true,
  ],
  [
    'empty podSelector matches all pods of the policy namespace',
    [dbFrom([{ podSelector: {} }])],
    'prod/cache',
    'prod/db',
    '5432',
    true,
  ],
  [
    'empty podSelector does not reach other namespaces',
    [dbFrom([{ podSelector: {} }])],
    'dev/client',
    'prod/db',
    '5432',
    false,
  ],
  [
    'the automatic kubernetes.io/metadata.name label selects a namespace by name',
    [dbFrom([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }])],
    'other/tool',
    'prod/db',
    '5432',
    true,
  ],
  [
    'rules are OR-ed across policies selecting the same pod',
    [
      dbFrom([{ podSelector: { matchLabels: { app: 'web' } } }]),
      policy('prod', 'db-2', {
        podSelector: { matchLabels: { tier: 'data' } },
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'admin' } } }] }],
      }),
    ],
    'other/tool',
    'prod/db',
    '5432',
    true,
  ],
  // matchExpressions
  [
    'matchExpressions In',
    [
      dbFrom([
        {
          namespaceSelector: {},
          podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['tool', 'x'] }] },
        },
      ]),
    ],
    'other/tool',
    'prod/db',
    '5432',
    true,
  ],
  [
    'matchExpressions NotIn excludes listed values',
    [
      dbFrom([
        {
          namespaceSelector: {},
          podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['tool'] }] },
        },
      ]),
    ],
    'other/tool',
    'prod/db',
    '5432',
    false,
  ],
  [
    'matchExpressions NotIn matches pods without the key',
    [
      dbFrom([
        {
          namespaceSelector: {},
          podSelector: { matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['admin'] }] },
        },
      ]),
    ],
    'dev/client',
    'prod/db',
    '5432',
    true,
  ],
  [
    'matchExpressions Exists',
    [
      dbFrom([
        { namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'role', operator: 'Exists' }] } },
      ]),
    ],
    'other/tool',
    'prod/db',
    '5432',
    true,
  ],
  [
    'matchExpressions DoesNotExist',
    [
      dbFrom([
        {
          namespaceSelector: {},
          podSelector: { matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] },
        },
      ]),
    ],
    'other/tool',
    'prod/db',
    '5432',
    false,
  ],
  [
    'namespace matchExpressions on namespace labels',
    [dbFrom([{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } }])],
    'prod/cache',
    'prod/db',
    '5432',
    true,
  ],
  // ipBlock
  [
    'ipBlock admits an external address inside the CIDR',
    [dbFrom([{ ipBlock: { cidr: '203.0.113.0/24' } }])],
    '203.0.113.9',
    'prod/db',
    '5432',
    true,
  ],
  [
    'ipBlock except carves addresses out',
    [dbFrom([{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.0/28'] } }])],
    '203.0.113.9',
    'prod/db',
    '5432',
    false,
  ],
  [
    'ipBlock does not admit addresses outside the CIDR',
    [dbFrom([{ ipBlock: { cidr: '203.0.113.0/24' } }])],
    '198.51.100.1',
    'prod/db',
    '5432',
    false,
  ],
  [
    'ipBlock matches pods by their known IP',
    [dbFrom([{ ipBlock: { cidr: '10.0.1.0/24' } }])],
    'dev/client',
    'prod/db',
    '5432',
    true,
  ],
  [
    'ipBlock except excludes a pod IP',
    [dbFrom([{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/30'] } }])],
    'dev/client',
    'prod/db',
    '5432',
    false,
  ],
  [
    'ipBlock IPv6 matches an IPv6 pod',
    [dbFrom([{ ipBlock: { cidr: 'fd00::/64' } }])],
    'other/tool',
    'prod/db',
    '5432',
    true,
  ],
  [
    'ipBlock IPv4 0.0.0.0/0 does not match IPv6 addresses',
    [dbFrom([{ ipBlock: { cidr: '0.0.0.0/0' } }])],
    '2001:db8::1',
    'prod/db',
    '5432',
    false,
  ],
  [
    'ipBlock ::/0 matches IPv6 addresses',
    [dbFrom([{ ipBlock: { cidr: '::/0' } }])],
    '2001:db8::1',
    'prod/db',
    '5432',
    true,
  ],
  // ports
  ['a numeric port admits that port', [dbFrom([], [{ port: 5432 }])], 'prod/web', 'prod/db', '5432', true],
  ['a numeric port denies other ports', [dbFrom([], [{ port: 5432 }])], 'prod/web', 'prod/db', '5433', false],
  [
    'protocol defaults to TCP (UDP denied)',
    [dbFrom([], [{ port: 5432 }])],
    'prod/web',
    'prod/db',
    '5432/UDP',
    false,
  ],
  ['protocol UDP', [dbFrom([], [{ port: 5432, protocol: 'UDP' }])], 'prod/web', 'prod/db', '5432/UDP', true],
  [
    'protocol SCTP',
    [dbFrom([], [{ port: 5432, protocol: 'SCTP' }])],
    'prod/web',
    'prod/db',
    '5432/SCTP',
    true,
  ],
  [
    'a port entry with a protocol only admits every port of it',
    [dbFrom([], [{ protocol: 'UDP' }])],
    'prod/web',
    'prod/db',
    '31000/UDP',
    true,
  ],
  [
    'endPort admits the range start',
    [dbFrom([], [{ port: 5000, endPort: 5500 }])],
    'prod/web',
    'prod/db',
    '5000',
    true,
  ],
  [
    'endPort admits the range end',
    [dbFrom([], [{ port: 5000, endPort: 5500 }])],
    'prod/web',
    'prod/db',
    '5500',
    true,
  ],
  [
    'endPort denies past the range',
    [dbFrom([], [{ port: 5000, endPort: 5500 }])],
    'prod/web',
    'prod/db',
    '5501',
    false,
  ],
  [
    'a named port resolves on the destination pod',
    [dbFrom([], [{ port: 'pg' }])],
    'prod/web',
    'prod/db',
    '5432',
    true,
  ],
  [
    'a named port does not admit other ports',
    [dbFrom([], [{ port: 'pg' }])],
    'prod/web',
    'prod/db',
    '5433',
    false,
  ],
  [
    'a named port with the wrong protocol does not resolve',
    [dbFrom([], [{ port: 'pg', protocol: 'UDP' }])],
    'prod/web',
    'prod/db',
    '5432/UDP',
    false,
  ],
  [
    'ports and peers in one rule are AND-ed',
    [dbFrom([{ podSelector: { matchLabels: { app: 'web' } } }], [{ port: 5432 }])],
    'prod/cache',
    'prod/db',
    '5432',
    false,
  ],
  [
    'a named port resolves per destination pod (same name, different numbers)',
    [
      policy('prod', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 'http' }] }],
      }),
    ],
    'prod/cache',
    'dev/web',
    '80',
    true,
  ],
  [
    'an egress named port does not resolve on a pod that lacks it',
    [
      policy('prod', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 'http' }] }],
      }),
    ],
    'prod/cache',
    'prod/db',
    '5432',
    false,
  ],
  [
    'an egress named port never matches an address outside the cluster',
    [
      policy('prod', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 'http' }] }],
      }),
    ],
    'prod/cache',
    '203.0.113.1',
    '80',
    false,
  ],
  // both directions
  [
    'source egress denies though destination ingress allows',
    [policy('dev', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }), dbFrom([])],
    'dev/client',
    'prod/db',
    '5432',
    false,
  ],
  [
    'destination ingress denies though source egress allows',
    [
      policy('dev', 'egress-db', { podSelector: {}, egress: [{ to: [{ namespaceSelector: {} }] }] }),
      denyIngressDb,
    ],
    'dev/client',
    'prod/db',
    '5432',
    false,
  ],
  [
    'both sides allow',
    [
      policy('dev', 'egress-db', {
        podSelector: {},
        egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 5432 }] }],
      }),
      dbFrom([{ namespaceSelector: {} }]),
    ],
    'dev/client',
    'prod/db',
    '5432',
    true,
  ],
  [
    'egress ipBlock to an external address',
    [
      policy('dev', 'out', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }],
      }),
    ],
    'dev/client',
    '203.0.113.1',
    '443',
    true,
  ],
  [
    'egress ipBlock except blocks pod IPs inside it',
    [
      policy('dev', 'out', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }],
      }),
    ],
    'dev/client',
    'prod/db',
    '5432',
    false,
  ],
  // DNS
  [
    'egress to kube-dns on 53/UDP',
    [
      policy('dev', 'dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ],
      }),
    ],
    'dev/client',
    'kube-system/dns',
    '53/UDP',
    true,
  ],
  [
    'a DNS-only egress policy denies everything else',
    [
      policy('dev', 'dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [{ port: 53, protocol: 'UDP' }],
          },
        ],
      }),
    ],
    'dev/client',
    'prod/web',
    '53/UDP',
    false,
  ],
];

describe('NetworkPolicy semantics (networking/v1)', () => {
  it.each(CASES)('%s', (_name, policies, from, to, port, expected) => {
    const cluster = clusterOf([...BASE, ...policies]);
    const [brute, classes] = verdicts(cluster, from, to, port);
    expect(brute).toBe(expected);
    if (classes !== undefined) expect(classes).toBe(expected);
  });
});

describe('explanations', () => {
  it('names the deciding policy and rule on each side', () => {
    const cluster = clusterOf([
      ...BASE,
      dbFrom([{ podSelector: { matchLabels: { app: 'web' } } }], [{ port: 'pg' }]),
    ]);
    const v = evaluate(cluster, {
      src: endpoint(cluster, 'prod/web'),
      dst: endpoint(cluster, 'prod/db'),
      port: 5432,
      protocol: 'TCP',
    });
    expect(v.allowed).toBe(true);
    expect(v.egress).toMatchObject({ allowed: true, isolated: false, rules: [] });
    expect(v.ingress).toMatchObject({
      allowed: true,
      isolated: true,
      rules: [{ policy: 'prod/db-allow', rule: 0, peer: 0, portEntry: 0 }],
    });
  });

  it('lists the isolating policies when nothing allows the connection', () => {
    const cluster = clusterOf([...BASE, defaultDenyProd, denyIngressDb]);
    const v = evaluate(cluster, {
      src: endpoint(cluster, 'prod/web'),
      dst: endpoint(cluster, 'prod/db'),
      port: 5432,
      protocol: 'TCP',
    });
    expect(v.allowed).toBe(false);
    expect(v.ingress.policies.map((p) => p.policy)).toEqual(['prod/db-deny', 'prod/default-deny']);
    expect(v.ingress.rules).toEqual([]);
  });
});
