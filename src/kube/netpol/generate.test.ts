import { describe, expect, it } from 'vitest';
import { ClassEngine } from './engine.js';
import { evaluate } from './evaluate.js';
import { parseFlows } from './flows.js';
import { generatePolicies, resolveFlows } from './generate.js';
import { parseCluster } from './parse.js';
import { deployment, namespace, policy, resource } from './testing/builders.js';
import { prng } from './testing/random-cluster.js';
import { verifyGenerated } from './verify-generated.js';

const CLUSTER = [
  namespace('shop'),
  namespace('data'),
  namespace('kube-system'),
  deployment('shop', 'frontend', { labels: { app: 'frontend' }, ports: ['http:8080'] }),
  deployment('shop', 'api', { labels: { app: 'api', tier: 'backend' }, ports: ['http:9000'] }),
  deployment('shop', 'worker', { labels: { app: 'worker' } }),
  deployment('data', 'postgres', { labels: { app: 'postgres' }, ports: ['pg:5432'] }),
  deployment('data', 'redis', { labels: { app: 'redis' }, ports: ['6379'] }),
  deployment('kube-system', 'coredns', {
    labels: { 'k8s-app': 'kube-dns' },
    ports: ['dns:53/UDP', 'dns-tcp:53/TCP'],
  }),
  // an existing permissive policy: generation replaces the policies, it does not add to them
  policy('data', 'allow-all', { podSelector: {}, ingress: [{}] }),
];

const FLOWS_CSV = `src,dst,port
# the shop
shop/frontend,shop/api,9000
shop/api,data/postgres,5432/TCP
shop/worker,data/redis,6379
shop/worker,data/postgres,5432
203.0.113.0/24,shop/frontend,8080
shop/api,198.51.100.10/32,443
`;

function setup(objects = CLUSTER, flowsText = FLOWS_CSV) {
  const { cluster } = parseCluster(objects.map((o) => resource(o)));
  const flows = resolveFlows(cluster, parseFlows(flowsText, 'flows.csv'));
  const g = generatePolicies(cluster, flows);
  return { cluster, flows, generated: g.policies, covered: g.flows, unselectable: g.unselectable };
}

describe('generate least-privilege policies', () => {
  it('allows exactly the declared flows (verified by re-running the engine)', () => {
    const { cluster, flows, generated } = setup();
    const v = verifyGenerated(cluster, flows, generated);
    expect(v).toMatchObject({ exact: true, missing: [], extra: [], errors: [] });
    expect(v.checkedPairs).toBeGreaterThan(20);
  });

  it('round-trips through the engine: declared flows pass, others are denied', () => {
    const { cluster, generated } = setup();
    const applied = {
      ...cluster,
      policies: parseCluster(generated.map((g) => resource(g))).cluster.policies,
    };
    const ep = (name: string) => ({ kind: 'pod' as const, pod: cluster.pods.find((p) => p.name === name)! });
    const ok = (s: string, d: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP') =>
      evaluate(applied, { src: ep(s), dst: ep(d), port, protocol }).allowed;
    expect(ok('frontend', 'api', 9000)).toBe(true);
    expect(ok('frontend', 'api', 9001)).toBe(false);
    expect(ok('frontend', 'postgres', 5432)).toBe(false);
    expect(ok('worker', 'redis', 6379)).toBe(true);
    expect(ok('api', 'redis', 6379)).toBe(false);
    expect(ok('api', 'coredns', 53, 'UDP')).toBe(true);
    expect(ok('api', 'coredns', 80)).toBe(false);
    const ext = (ip: string, d: string, port: number) =>
      evaluate(applied, { src: { kind: 'external', ip }, dst: ep(d), port, protocol: 'TCP' }).allowed;
    expect(ext('203.0.113.7', 'frontend', 8080)).toBe(true);
    expect(ext('192.0.2.7', 'frontend', 8080)).toBe(false);
    const engine = new ClassEngine(applied);
    const c = (name: string) => engine.classOf.get(cluster.pods.find((p) => p.name === name)!)!;
    expect(engine.allowed(c('api'), c('postgres')).toString()).toBe('TCP:5432');
  });

  it('writes a default-deny and a DNS egress policy per managed namespace', () => {
    const { generated } = setup();
    const names = generated.map(
      (g) => `${(g.metadata as { namespace: string }).namespace}/${(g.metadata as { name: string }).name}`,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'shop/strata-default-deny',
        'data/strata-default-deny',
        'shop/strata-allow-dns-egress',
        'data/strata-allow-dns-egress',
      ]),
    );
    expect(names).not.toContain('kube-system/strata-default-deny');
  });

  const selectors = (generated: Record<string, unknown>[]) =>
    generated
      .filter((g) => /^strata-(ingress|egress)-/.test((g.metadata as { name: string }).name))
      .map((g) => (g.spec as { podSelector: unknown }).podSelector);

  it('generates nothing for a workload without labels, and names it with the label to add', () => {
    const bare = deployment('shop', 'cron', { labels: {} });
    const other = deployment('shop', 'mailer', { labels: { app: 'mailer' } });
    const flows = `${FLOWS_CSV}shop/cron,shop/api,9000\n`;
    const { generated, covered, unselectable, cluster } = setup([...CLUSTER, bare, other], flows);
    expect(selectors(generated)).not.toContainEqual({});
    expect(selectors(generated)).not.toContainEqual({ matchLabels: {} });
    expect(JSON.stringify(generated)).not.toContain('"matchLabels":{}');
    expect(unselectable).toEqual([
      {
        workload: 'Deployment/shop/cron',
        reason: 'no-labels',
        sharedWith: [],
        labelToAdd: 'app.kubernetes.io/name=cron',
        flows: ['shop/cron -> shop/api 9000/TCP'],
      },
    ]);
    expect(covered).toHaveLength(6);
    // nothing beyond the declared flows reaches or leaves any pod, mailer included
    expect(verifyGenerated(cluster, covered, generated)).toMatchObject({ exact: true, extra: [] });
  });

  it("generates nothing for workloads sharing labels, so neither gets the other one's access", () => {
    const twin = deployment('data', 'postgres-replica', { labels: { app: 'postgres' }, ports: ['pg:5432'] });
    const { cluster, generated, covered, unselectable } = setup([...CLUSTER, twin]);
    expect(unselectable.map((u) => [u.workload, u.reason, u.sharedWith])).toEqual([
      ['Deployment/data/postgres', 'shared-labels', ['Deployment/data/postgres-replica']],
    ]);
    expect(unselectable[0]!.flows).toEqual([
      'shop/api -> data/postgres 5432/TCP',
      'shop/worker -> data/postgres 5432/TCP',
    ]);
    expect(unselectable[0]!.labelToAdd).toBe('app.kubernetes.io/name=postgres');
    const v = verifyGenerated(cluster, covered, generated);
    expect(v).toMatchObject({ exact: true, missing: [], extra: [] });
  });

  it("never widens: a workload whose labels are a subset of another one's is skipped, the other kept", () => {
    // api's {app: api, tier: backend} includes all of api-v1's labels: a policy for api-v1 selects api
    const sub = deployment('shop', 'api-v1', { labels: { app: 'api' }, ports: ['http:9000'] });
    const flows = `${FLOWS_CSV}shop/frontend,shop/api-v1,9000\n`;
    const objects = [...CLUSTER, sub];
    const { cluster, generated, covered, unselectable } = setup(objects, flows);
    expect(unselectable.map((u) => u.workload)).toEqual(['Deployment/shop/api-v1']);
    expect(unselectable[0]!.sharedWith).toEqual(['Deployment/shop/api']);
    expect(covered.map((f) => f.flow.dst)).toContain('shop/api');
    expect(verifyGenerated(cluster, covered, generated).extra).toEqual([]);
  });

  it('only narrows: against every declared flow, the skipped ones are denied and nothing is added', () => {
    const twin = deployment('data', 'postgres-replica', { labels: { app: 'postgres' }, ports: ['pg:5432'] });
    const { cluster, flows, generated } = setup([...CLUSTER, twin]);
    const v = verifyGenerated(cluster, flows, generated);
    expect(v.missing).toEqual([
      'shop/api -> data/postgres 5432/TCP',
      'shop/worker -> data/postgres 5432/TCP',
    ]);
    expect(v.extra.length).toBeGreaterThan(0);
    for (const e of v.extra) expect(e.allowed).toBe('none');
  });

  it('reads flows as YAML too', () => {
    const yaml =
      'flows:\n  - {src: shop/frontend, dst: shop/api, port: 9000}\n  - {src: shop/api, dst: data/redis, port: 6379, protocol: TCP}\n';
    expect(parseFlows(yaml, 'flows.yaml')).toEqual([
      { src: 'shop/frontend', dst: 'shop/api', port: 9000, protocol: 'TCP' },
      { src: 'shop/api', dst: 'data/redis', port: 6379, protocol: 'TCP' },
    ]);
  });

  it.each([
    ['a/b,c/d\n', 'expected src,dst,port'],
    ['a/b,c/d,99999\n', 'is not 1-65535'],
    ['a/b,c/d,80/ICMP\n', 'unknown protocol'],
    ['10.0.0.0/8,10.1.0.0/16,80\n', 'one side must be a pod'],
  ])('refuses bad flows %j', (text, message) => {
    expect(() => parseFlows(text, 'f.csv')).toThrow(message);
  });
});

describe('generate on random clusters', () => {
  it.each(Array.from({ length: 25 }, (_, i) => i + 1))(
    'is exact whenever labels single out workloads (seed %i)',
    (seed) => {
      const rnd = prng(seed);
      const int = (n: number) => Math.floor(rnd() * n);
      const objects: Record<string, unknown>[] = [
        namespace('kube-system'),
        deployment('kube-system', 'coredns', {
          labels: { 'k8s-app': 'kube-dns' },
          ports: ['dns:53/UDP', 'dns-tcp:53/TCP'],
        }),
      ];
      const names: string[] = [];
      for (let i = 0; i < 12; i++) {
        const ns = `ns${int(3)}`;
        objects.push(
          deployment(ns, `w${i}`, {
            labels: { app: `w${i}`, tier: `t${int(2)}` },
            ports: [`http:${8000 + int(3)}`],
          }),
        );
        names.push(`${ns}/w${i}`);
      }
      const lines = Array.from({ length: 1 + int(10) }, () => {
        const src = names[int(names.length)]!;
        const dst = int(5) === 0 ? '198.51.100.0/24' : names[int(names.length)]!;
        return `${src},${dst},${[80, 443, 8000, 8001, 53][int(5)]}/${int(4) === 0 ? 'UDP' : 'TCP'}`;
      });
      const { cluster } = parseCluster(objects.map((o) => resource(o)));
      const flows = resolveFlows(cluster, parseFlows(lines.join('\n'), 'flows.csv'));
      const g = generatePolicies(cluster, flows);
      expect(g.unselectable).toEqual([]);
      const v = verifyGenerated(cluster, flows, g.policies);
      expect(v).toMatchObject({ exact: true, missing: [], extra: [], errors: [] });
    },
  );
});

describe('flows files', () => {
  it.each([
    ['flows: 3', 'flows.yaml: flows: expected a list of flows (or flows: [...])'],
    ['- a -> b', 'flows.yaml: flows[0]: expected object, got string'],
    ['"x"', 'flows.yaml: (root): expected a list of flows (or flows: [...])'],
  ])('refuses %j as INVALID_FLOWS, naming the entry', (text, message) => {
    expect(() => parseFlows(text, 'flows.yaml')).toThrow(
      expect.objectContaining({ code: 'INVALID_FLOWS', message }),
    );
  });
});
