// Attack paths at scale (issue 18): a generated cluster of 5,000 pods (Deployments over 50
// namespaces, 1 in 10 exposed by a LoadBalancer/NodePort Service, 1 in 20 behind an Ingress, 1 in
// 8 privileged), 1,000 NetworkPolicies (default-deny, allow-from-namespace, allow-by-label with
// ports, ipBlock), 5,000 RBAC bindings (service accounts bound to secret readers, pod creators,
// cluster-admin; user and group subjects) and one CRITICAL/HIGH advisory on 40% of the workloads.
// Measures parsing, the analysis (NetworkPolicy classes, RBAC authorizer + escalation search,
// entries, lateral BFS, goals) and peak RSS. Goal: seconds, not minutes.
//
//   npm run build && node bench/paths.bench.mjs [--pods 5000] [--policies 1000] [--bindings 5000] [--seed 1]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { goal } from './goal.mjs';
import { prng } from './prng.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const dist = resolve(process.env.STRATA_DIST ?? new URL('../dist', import.meta.url).pathname);
const PODS = Number(opt('--pods', '5000'));
const POLICIES = Number(opt('--policies', '1000'));
const BINDINGS = Number(opt('--bindings', '5000'));
const seed = Number(opt('--seed', '1'));
const GOAL_SECONDS = 30;

const { parseKubeText } = await import(pathToFileURL(`${dist}/kube/index.js`).href);
const { vulnerabilityFinding } = await import(pathToFileURL(`${dist}/core/index.js`).href);
const { analyzePaths } = await import(pathToFileURL(`${dist}/paths/index.js`).href);

const rnd = prng(seed);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const NS = Array.from({ length: 50 }, (_, i) => `ns${i}`);
const docs = [];
const findings = [];
for (const ns of NS)
  docs.push({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { team: pick(['a', 'b', 'c']) } },
  });
const RBAC = 'rbac.authorization.k8s.io';
docs.push(
  {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'secret-reader' },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
  },
  {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'pod-creator' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }],
  },
  {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'viewer' },
    rules: [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list'] }],
  },
);
for (let i = 0; i < PODS; i++) {
  const ns = NS[i % NS.length];
  const name = `w${i}`;
  const app = `app${i % 400}`;
  const tier = pick(['web', 'api', 'db', 'worker']);
  const port = pick([80, 443, 8080, 5432, 6379]);
  const sc = rnd() < 1 / 8 ? { privileged: true } : { runAsNonRoot: true };
  docs.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app, tier } },
      template: {
        metadata: { labels: { app, tier } },
        spec: {
          serviceAccountName: `sa${i % 7}`,
          containers: [
            {
              name: 'c',
              image: `registry.example/${name}:1`,
              ports: [{ containerPort: port }],
              securityContext: sc,
            },
          ],
        },
      },
    },
  });
  const r = rnd();
  if (r < 0.1 || r > 0.95) {
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: {
        type: r < 0.05 ? 'LoadBalancer' : r < 0.1 ? 'NodePort' : 'ClusterIP',
        selector: { app, tier },
        ports: [{ port }],
      },
    });
    if (r > 0.95)
      docs.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name, namespace: ns },
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
  }
  if (rnd() < 0.4) {
    const id = `CVE-2026-${10000 + i}`;
    findings.push(
      vulnerabilityFinding({
        id,
        severity: pick(['CRITICAL', 'HIGH']),
        title: id,
        package: {
          name: pick(['libssl3', 'zlib1g', 'bash']),
          version: '1.0',
          purl: 'pkg:deb/debian/libssl3@1.0',
        },
        fixedVersion: '9.9',
        location: { resource: `Deployment/${ns}/${name}` },
        evidence: {
          ecosystem: 'Debian:12',
          matchedBy: 'binary',
          matchedName: 'x',
          matchedVersion: '1.0',
          severitySource: 'none',
          modified: '2026-01-01T00:00:00Z',
        },
      }),
    );
  }
}
for (let i = 0; i < POLICIES; i++) {
  const ns = NS[i % NS.length];
  const kind = i % 4;
  const spec =
    kind === 0
      ? { podSelector: {}, policyTypes: ['Ingress'] }
      : kind === 1
        ? {
            podSelector: { matchLabels: { tier: pick(['db', 'api']) } },
            policyTypes: ['Ingress'],
            ingress: [
              {
                from: [{ podSelector: { matchLabels: { tier: pick(['web', 'api']) } } }],
                ports: [{ port: pick([5432, 6379, 8080]) }],
              },
            ],
          }
        : kind === 2
          ? {
              podSelector: { matchLabels: { app: `app${Math.floor(rnd() * 400)}` } },
              policyTypes: ['Ingress'],
              ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: pick(['a', 'b']) } } }] }],
            }
          : {
              podSelector: { matchLabels: { tier: 'web' } },
              policyTypes: ['Ingress'],
              ingress: [
                {
                  from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
                  ports: [{ port: 443 }, { port: 80 }],
                },
              ],
            };
  docs.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `p${i}`, namespace: ns },
    spec,
  });
}
for (let i = 0; i < BINDINGS; i++) {
  const ns = pick(NS);
  const cluster = rnd() < 0.1;
  const role = rnd() < 0.01 ? 'cluster-admin' : pick(['secret-reader', 'pod-creator', 'viewer', 'viewer']);
  const subject = pick([
    { kind: 'ServiceAccount', name: `sa${Math.floor(rnd() * 7)}`, namespace: ns },
    { kind: 'User', name: `user${Math.floor(rnd() * 300)}` },
    { kind: 'Group', name: `group${Math.floor(rnd() * 40)}` },
  ]);
  docs.push({
    apiVersion: `${RBAC}/v1`,
    kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata: cluster ? { name: `b${i}` } : { name: `b${i}`, namespace: ns },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
    subjects: [subject],
  });
}

const text = docs.map((d) => JSON.stringify(d)).join('\n---\n');
let t = process.hrtime.bigint();
const { resources, errors } = parseKubeText(text, 'bench.yaml');
const parseS = Number(process.hrtime.bigint() - t) / 1e9;
if (errors.length) throw new Error(`generated input did not parse: ${errors[0].message}`);
t = process.hrtime.bigint();
const analysis = analyzePaths(resources, findings);
const analyzeS = Number(process.hrtime.bigint() - t) / 1e9;
const peak = process.resourceUsage().maxRSS / 1024;
console.log(
  `input: ${PODS} pods, ${POLICIES} policies, ${BINDINGS} bindings, ${findings.length} vulnerable workloads (${resources.length} resources)`,
);
console.log(`parse: ${parseS.toFixed(2)} s`);
console.log(
  `analysis: ${analyzeS.toFixed(2)} s for ${analysis.workloads} workloads, ${analysis.paths} attack paths`,
);
console.log(`paths total: ${(parseS + analyzeS).toFixed(2)} s`);
goal(
  `attack paths, ${PODS} pods / ${POLICIES} policies / ${BINDINGS} bindings`,
  parseS + analyzeS,
  '<',
  GOAL_SECONDS,
  ' s',
  1,
);
console.log(`peak RSS: ${peak.toFixed(0)} MiB`);
if (parseS + analyzeS > GOAL_SECONDS) {
  console.error(`paths bench: ${(parseS + analyzeS).toFixed(1)} s is over the ${GOAL_SECONDS} s goal`);
  process.exit(1);
}
