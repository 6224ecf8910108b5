import { describe, expect, it } from 'vitest';
import { renderMatrix } from '../../report/index.js';
import { blastRadius } from './blast-radius.js';
import { ClassEngine } from './engine.js';
import { explain } from './explain.js';
import { buildMatrix } from './matrix.js';
import { clusterOf, deployment, namespace, pod, policy } from './testing/builders.js';

/** internet -> LB -> frontend -> api -> db; worker -> api; db and api isolated. */
const SHOP = [
  namespace('shop'),
  deployment('shop', 'frontend', { ports: ['http:8080'] }),
  deployment('shop', 'api', { ports: ['http:9000'] }),
  deployment('shop', 'db', { ports: ['pg:5432'] }),
  deployment('shop', 'worker'),
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'frontend', namespace: 'shop' },
    spec: { type: 'LoadBalancer', selector: { app: 'frontend' }, ports: [{ port: 80, targetPort: 'http' }] },
  },
  policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  policy('shop', 'frontend-in', {
    podSelector: { matchLabels: { app: 'frontend' } },
    ingress: [{ ports: [{ port: 'http' }] }],
  }),
  policy('shop', 'frontend-out', {
    podSelector: { matchLabels: { app: 'frontend' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }],
  }),
  policy('shop', 'api-in', {
    podSelector: { matchLabels: { app: 'api' } },
    ingress: [
      {
        from: [
          { podSelector: { matchLabels: { app: 'frontend' } } },
          { podSelector: { matchLabels: { app: 'worker' } } },
        ],
        ports: [{ port: 9000 }],
      },
    ],
  }),
  policy('shop', 'api-out', {
    podSelector: { matchLabels: { app: 'api' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 'pg' }] }],
  }),
  policy('shop', 'db-in', {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] }],
  }),
  policy('shop', 'worker-out', {
    podSelector: { matchLabels: { app: 'worker' } },
    policyTypes: ['Egress'],
    egress: [
      { to: [{ podSelector: { matchLabels: { app: 'api' } } }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] },
    ],
  }),
];

describe('blast radius', () => {
  it('walks the allowed graph with hops and ports', () => {
    const engine = new ClassEngine(clusterOf(SHOP));
    const b = blastRadius(engine, 'shop/frontend');
    expect(b.reachable).toEqual([
      { target: 'Deployment/shop/api', hops: 1, via: 'Deployment/shop/frontend', ports: 'TCP:9000' },
      { target: 'Deployment/shop/db', hops: 2, via: 'Deployment/shop/api', ports: 'TCP:5432' },
    ]);
    expect(b.internetEgress).toEqual([]);
  });

  it('lists the internet entry points that lead to a workload', () => {
    const engine = new ClassEngine(clusterOf(SHOP));
    const b = blastRadius(engine, 'shop/db');
    expect(b.reachable).toEqual([]);
    expect(b.entryPoints).toEqual([
      {
        entry: 'Deployment/shop/frontend',
        hops: 3,
        ports: 'TCP:8080',
        exposure: [
          'Service/shop/frontend (LoadBalancer)',
          'NetworkPolicy ingress admits public addresses on TCP:8080',
        ],
      },
    ]);
  });

  it('reports internet egress of reached workloads', () => {
    const engine = new ClassEngine(clusterOf(SHOP));
    const b = blastRadius(engine, 'shop/worker');
    expect(b.internetEgress).toEqual([{ source: 'Deployment/shop/worker', hops: 0, ports: 'TCP:443' }]);
    expect(b.reachable.map((r) => [r.target, r.hops])).toEqual([
      ['Deployment/shop/api', 1],
      ['Deployment/shop/db', 2],
    ]);
  });

  it('counts replicas of the same class as reachable when the class reaches itself', () => {
    const engine = new ClassEngine(
      clusterOf([pod('a', 'p1', { labels: { app: 'x' } }), pod('a', 'p2', { labels: { app: 'x' } })]),
    );
    expect(blastRadius(engine, 'a/p1').reachable).toEqual([
      { target: 'Pod/a/p2', hops: 1, via: 'Pod/a/p1', ports: 'all' },
    ]);
  });
});

describe('explain', () => {
  it('gives the verdict and the deciding rules on both sides', () => {
    const e = explain(clusterOf(SHOP), 'shop/api', 'shop/db', 'pg');
    expect(e).toMatchObject({
      allowed: true,
      from: 'Deployment/shop/api',
      to: 'Deployment/shop/db',
      port: 5432,
      protocol: 'TCP',
      portName: 'pg',
      egress: {
        allowed: true,
        isolated: true,
        policies: [{ policy: 'shop/api-out', rule: 0, peer: 0, portEntry: 0 }],
      },
      ingress: {
        allowed: true,
        isolated: true,
        policies: [{ policy: 'shop/db-in', rule: 0, peer: 0, portEntry: 0 }],
      },
    });
  });

  it('names the isolating policies when denied', () => {
    const e = explain(clusterOf(SHOP), 'shop/frontend', 'shop/db', '5432/TCP');
    expect(e.allowed).toBe(false);
    expect(e.egress.policies.map((p) => [p.policy, p.rule])).toEqual([
      ['shop/deny-all', null],
      ['shop/frontend-out', null],
    ]);
    expect(e.ingress.policies.map((p) => p.policy)).toEqual(['shop/db-in', 'shop/deny-all']);
  });

  it('explains traffic from outside the cluster', () => {
    const e = explain(clusterOf(SHOP), '203.0.113.9', 'shop/frontend', '8080');
    expect(e).toMatchObject({
      allowed: true,
      egress: { allowed: true, isolated: false },
      ingress: { policies: [{ policy: 'shop/frontend-in' }] },
    });
  });

  it.each([
    ['shop/nope', 'shop/db', '5432', 'no pod or workload'],
    ['shop', 'shop/db', '5432', 'is not NAMESPACE/NAME'],
    ['shop/api', 'shop/db', 'postgres', 'neither a port number'],
    ['shop/api', 'shop/db', '5432/ICMP', 'unknown protocol'],
  ])('refuses %s -> %s %s', (from, to, port, message) => {
    expect(() => explain(clusterOf(SHOP), from, to, port)).toThrow(message);
  });
});

describe('matrix', () => {
  const engine = new ClassEngine(clusterOf(SHOP));

  it('lists allowed connections per workload, with the internet', () => {
    const m = buildMatrix(engine, 'workload');
    expect(m.edges).toEqual([
      { from: 'internet', to: 'shop/frontend', ports: 'TCP:8080' },
      { from: 'shop/api', to: 'shop/db', ports: 'TCP:5432' },
      { from: 'shop/frontend', to: 'shop/api', ports: 'TCP:9000' },
      { from: 'shop/worker', to: 'internet', ports: 'TCP:443' },
      { from: 'shop/worker', to: 'shop/api', ports: 'TCP:9000' },
    ]);
  });

  it('names a pod and a workload of the same name apart', () => {
    const twin = new ClassEngine(
      clusterOf([pod('a', 'web', { labels: { x: '1' } }), deployment('a', 'web')]),
    );
    expect(buildMatrix(twin, 'workload').nodes).toEqual(['a/Deployment/web', 'a/Pod/web', 'internet']);
  });

  it('aggregates per namespace', () => {
    const m = buildMatrix(engine, 'namespace');
    expect(m.edges).toContainEqual({ from: 'shop', to: 'shop', ports: 'TCP:5432,9000' });
  });

  it.each([
    ['dot', 'digraph netpol {', '"shop/api" -> "shop/db" [label="TCP:5432"];'],
    ['mermaid', 'flowchart LR', '-->|"TCP:5432"|'],
    ['table', 'FROM', 'shop/api       shop/db        TCP:5432'],
    ['json', '"granularity": "workload"', '"ports": "TCP:5432"'],
  ] as const)('renders %s', (format, first, edge) => {
    const text = renderMatrix(buildMatrix(engine, 'workload'), format);
    expect(text).toContain(first);
    expect(text).toContain(edge);
  });
});
