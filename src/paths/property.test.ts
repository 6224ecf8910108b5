import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.js';
import { prng } from '../core/testing/prng.js';
import { analyzeRbac, type KubeResource, parseKubeText } from '../kube/index.js';
import { AttackGraph, analyzePaths, type Enabler, findPaths, signature } from './index.js';
import { fixtureText, IMAGE_FINDINGS, vuln } from './testing/fixture.js';

// Property: every hop of every path names the fact that enables it; taking that fact away (the
// Service, the flow, the image's advisories, the pod's privileges, the token mount, the binding)
// removes the path. Checked on the shop fixture and on random clusters from a seeded PRNG.

// biome-ignore lint/suspicious/noExplicitAny: the generated manifests are free-form JSON, edited in place
type Doc = Record<string, any>;

const toText = (docs: readonly Doc[]) => docs.map((d) => JSON.stringify(d)).join('\n---\n');
const meta = (d: Doc) => d.metadata as { name: string; namespace?: string };
const keyOf = (d: Doc) => `${d.kind}/${meta(d).namespace ?? 'default'}/${meta(d).name}`;
const podSpec = (d: Doc): Doc =>
  d.kind === 'Pod'
    ? d.spec
    : d.kind === 'CronJob'
      ? d.spec.jobTemplate.spec.template.spec
      : d.spec.template.spec;
const podLabels = (d: Doc): Record<string, string> =>
  d.kind === 'Pod' ? d.metadata.labels : d.spec.template.metadata.labels;

function docsOfText(text: string): Doc[] {
  const { resources } = parseKubeText(text, 'c.yaml');
  return resources.map((r) => structuredClone(r.object) as Doc);
}

function pathsOf(docs: readonly Doc[], findings: readonly Finding[]) {
  const { resources, errors } = parseKubeText(toText(docs), 'c.yaml');
  expect(errors).toEqual([]);
  return analyzePaths(resources, findings);
}

/** The inputs with one enabling fact taken away. */
function without(docs: readonly Doc[], findings: readonly Finding[], e: Enabler): [Doc[], Finding[]] {
  const out = structuredClone(docs) as Doc[];
  const workload = (ref: string) => out.find((d) => keyOf(d) === ref)!;
  switch (e.type) {
    case 'entry': {
      const [ref, part] = e.ref.split('#');
      if (part) {
        const spec = podSpec(workload(ref!));
        if (part === 'hostNetwork') spec.hostNetwork = false;
        else for (const c of spec.containers) for (const p of c.ports ?? []) delete p.hostPort;
        return [out, [...findings]];
      }
      return [out.filter((d) => keyOf(d) !== ref), [...findings]];
    }
    case 'flow': {
      // the flow's enabling fact: the destination admits it (no policy isolates it, or these policies' rules)
      const dst = workload(e.to);
      const ns = meta(dst).namespace ?? 'default';
      const kept = out.filter(
        (d) =>
          !(
            d.kind === 'NetworkPolicy' &&
            e.policies.includes(`${meta(d).namespace ?? 'default'}/${meta(d).name}`)
          ),
      );
      kept.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `cut-${out.length}`, namespace: ns },
        spec: { podSelector: { matchLabels: podLabels(dst) }, policyTypes: ['Ingress'] },
      });
      return [kept, [...findings]];
    }
    case 'vulns':
      return [
        out,
        findings.filter(
          (f) =>
            !(f.location.resource === e.workload && (f.severity === 'CRITICAL' || f.severity === 'HIGH')),
        ),
      ];
    case 'privileges': {
      const spec = podSpec(workload(e.workload));
      delete spec.hostPID;
      delete spec.hostIPC;
      delete spec.hostNetwork;
      delete spec.volumes;
      for (const c of spec.containers) {
        delete c.securityContext;
        delete c.volumeMounts;
      }
      return [out, [...findings]];
    }
    case 'automount':
      podSpec(workload(e.workload)).automountServiceAccountToken = false;
      return [out, [...findings]];
    case 'grants':
      return [
        out.filter(
          (d) =>
            !e.bindings.includes(
              meta(d).namespace
                ? `${d.kind}/${meta(d).namespace}/${meta(d).name}`
                : `${d.kind}/${meta(d).name}`,
            ),
        ),
        [...findings],
      ];
  }
}

function checkProperty(docs: readonly Doc[], findings: readonly Finding[]): number {
  const paths = pathsFromAnalysis(docs, findings);
  let checked = 0;
  for (const p of paths) {
    for (const hop of p.hops) {
      if (!hop.enabler) continue;
      const [d2, f2] = without(docs, findings, hop.enabler);
      const after = new Set(pathsFromAnalysis(d2, f2).map(signature));
      expect(after.has(signature(p)), `${JSON.stringify(hop.enabler)} kept ${signature(p)}`).toBe(false);
      checked++;
    }
  }
  return checked;
}

/** The analysis' paths, with their hops' enablers (what analyzePaths turns into findings). */
function pathsFromAnalysis(docs: readonly Doc[], findings: readonly Finding[]) {
  const { resources } = parseKubeText(toText(docs), 'c.yaml');
  return findPathsWithRbac(resources, findings);
}

function findPathsWithRbac(resources: readonly KubeResource[], findings: readonly Finding[]) {
  const rbac = analyzeRbac(resources);
  return findPaths(new AttackGraph(resources, findings, rbac.authorizer, { escalations: rbac.findings }));
}

/** A random cluster: namespaces, workloads, Services, policies, roles and bindings, and image findings. */
function randomCluster(seed: number): { docs: Doc[]; findings: Finding[] } {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const docs: Doc[] = [];
  const findings: Finding[] = [];
  const namespaces = ['a', 'b', 'c', 'd'].slice(0, 2 + Math.floor(rnd() * 3));
  for (const ns of namespaces)
    docs.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { team: pick(['x', 'y']) } },
    });
  const roles = [
    { name: 'reader', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] },
    { name: 'podmaker', rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }] },
    { name: 'cluster-admin' },
  ];
  for (const r of roles.slice(0, 2))
    docs.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: r.name },
      rules: r.rules,
    });
  const n = 8 + Math.floor(rnd() * 10);
  for (let i = 0; i < n; i++) {
    const ns = pick(namespaces);
    const name = `w${i}`;
    const app = `app${i}`;
    const port = pick([80, 443, 8080, 5432]);
    const sc: Doc = {};
    if (rnd() < 0.3) sc.privileged = true;
    if (rnd() < 0.15) sc.capabilities = { add: ['SYS_ADMIN'] };
    const spec: Doc = {
      serviceAccountName: `sa${i % 4}`,
      containers: [
        {
          name: 'c',
          image: `registry.example/${name}:1`,
          ports: [{ containerPort: port, ...(rnd() < 0.08 ? { hostPort: port + 30000 } : {}) }],
          securityContext: sc,
        },
      ],
    };
    if (rnd() < 0.1) spec.hostPID = true;
    if (rnd() < 0.06) spec.hostNetwork = true;
    if (rnd() < 0.2) spec.automountServiceAccountToken = false;
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: {
        selector: { matchLabels: { app } },
        template: { metadata: { labels: { app, tier: pick(['web', 'db']) } }, spec },
      },
    });
    const type = pick(['ClusterIP', 'ClusterIP', 'LoadBalancer', 'NodePort']);
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: { type, selector: { app }, ports: [{ port }] },
    });
    if (rnd() < 0.15)
      docs.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `ing${i}`, namespace: ns },
        spec: {
          rules: [
            {
              host: `${name}.example`,
              http: {
                paths: [
                  { path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: port } } } },
                ],
              },
            },
          ],
        },
      });
    if (rnd() < 0.6)
      findings.push(
        vuln(
          `Deployment/${ns}/${name}`,
          `CVE-2026-${1000 + i}`,
          pick(['libssl3', 'bash', 'zlib1g']),
          pick(['CRITICAL', 'HIGH', 'MEDIUM']),
          rnd() < 0.7 ? '9.9' : undefined,
        ),
      );
  }
  for (let i = 0; i < 4; i++) {
    const ns = pick(namespaces);
    const r = pick(roles);
    const cluster = rnd() < 0.5;
    docs.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: cluster ? { name: `b${i}` } : { name: `b${i}`, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: r.name },
      subjects: [{ kind: 'ServiceAccount', name: `sa${Math.floor(rnd() * 4)}`, namespace: ns }],
    });
  }
  for (let i = 0; i < 3; i++) {
    const ns = pick(namespaces);
    docs.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p${i}`, namespace: ns },
      spec: pick([
        { podSelector: {}, policyTypes: ['Ingress'] },
        {
          podSelector: { matchLabels: { tier: 'db' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 5432 }] }],
        },
        {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }],
        },
        {
          podSelector: { matchLabels: { tier: 'web' } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
              ports: [{ port: 443 }, { port: 80 }],
            },
          ],
        },
      ]),
    });
  }
  return { docs, findings };
}

describe("removing any hop's enabling fact removes the path", () => {
  it('on the shop fixture', () => {
    const docs = docsOfText(fixtureText());
    expect(pathsOf(docs, IMAGE_FINDINGS).paths).toBeGreaterThan(3);
    expect(checkProperty(docs, IMAGE_FINDINGS)).toBeGreaterThan(15);
  }, 60_000);

  it('on random clusters (seeded)', () => {
    let checked = 0;
    let withPaths = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const { docs, findings } = randomCluster(seed);
      const n = checkProperty(docs, findings);
      checked += n;
      if (n > 0) withPaths++;
    }
    // the generator must produce paths, or the property says nothing
    expect(withPaths).toBeGreaterThan(3);
    expect(checked).toBeGreaterThan(40);
  }, 120_000);
});
