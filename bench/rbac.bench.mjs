// RBAC at scale: a generated cluster of 2,000 roles (500 ClusterRoles, 20 of them aggregated;
// 1,500 Roles over 50 namespaces) and 5,000 bindings (1,000 ClusterRoleBindings, 4,000
// RoleBindings; 1-3 subjects each: users, groups, service accounts). Measures loading (YAML
// parse + RBAC parse + aggregation), who-can for every (verb, resource) pair cluster-wide and in
// one namespace, the risk rules, the escalation-path search, and peak RSS.
//
// Goal (issue 19): the escalation search (authorizer build + escalationFindings, CPU time, median
// of --runs) <= 3 s for 2,000 roles / 5,000 bindings. Also runs `strata rbac FILE --format json`
// end to end on the same input (CPU time of the process, median of --runs; --e2e-runs 0 skips it).
//
//   npm run build && node bench/rbac.bench.mjs [--roles 2000] [--bindings 5000] [--seed 1] [--runs 3]
//   node bench/rbac.bench.mjs --write FILE     (only write the generated input, as JSON)
//   STRATA_DIST=/tmp/build node bench/rbac.bench.mjs     (a build elsewhere)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prng } from './prng.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const dist = resolve(process.env.STRATA_DIST ?? new URL('../dist', import.meta.url).pathname);
const ROLES = Number(opt('--roles', '2000'));
const BINDINGS = Number(opt('--bindings', '5000'));
const seed = Number(opt('--seed', '1'));
const RUNS = Number(opt('--runs', '3'));
const E2E_RUNS = Number(opt('--e2e-runs', opt('--runs', '3')));
const GOAL_CPU_S = 3.0;

const RESOURCES = [
  ['', 'pods'],
  ['', 'pods/exec'],
  ['', 'pods/log'],
  ['', 'pods/portforward'],
  ['', 'secrets'],
  ['', 'configmaps'],
  ['', 'services'],
  ['', 'serviceaccounts'],
  ['', 'serviceaccounts/token'],
  ['', 'nodes'],
  ['', 'nodes/proxy'],
  ['', 'persistentvolumes'],
  ['', 'persistentvolumeclaims'],
  ['', 'namespaces'],
  ['', 'events'],
  ['apps', 'deployments'],
  ['apps', 'deployments/scale'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['apps', 'replicasets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
  ['networking.k8s.io', 'networkpolicies'],
  ['networking.k8s.io', 'ingresses'],
  ['rbac.authorization.k8s.io', 'roles'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
  ['rbac.authorization.k8s.io', 'clusterroles'],
  ['certificates.k8s.io', 'certificatesigningrequests'],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations'],
  ['coordination.k8s.io', 'leases'],
];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

function generate() {
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  const nsCount = 50;
  const items = [];
  const rule = () => {
    const n = 1 + int(4);
    const picked = Array.from({ length: n }, () => pick(RESOURCES));
    const r = {
      apiGroups: [...new Set(picked.map(([g]) => g))],
      resources: [...new Set(picked.map(([, res]) => res))],
      verbs: rnd() < 0.05 ? ['*'] : [...new Set(Array.from({ length: 1 + int(4) }, () => pick(VERBS)))],
    };
    if (rnd() < 0.03) r.resources = ['*'];
    if (rnd() < 0.1) r.resourceNames = [`obj-${int(20)}`];
    return r;
  };
  const clusterRoles = Math.round(ROLES / 4);
  for (let i = 0; i < clusterRoles; i++) {
    const labels = { [`agg/group-${i % 20}`]: 'true' };
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `cr-${i}`, labels },
    };
    if (i < 20)
      role.aggregationRule = {
        clusterRoleSelectors: [{ matchLabels: { [`agg/group-${(i + 1) % 20}`]: 'true' } }],
      };
    else role.rules = Array.from({ length: 1 + int(6) }, rule);
    items.push(role);
  }
  for (let i = 0; i < ROLES - clusterRoles; i++) {
    items.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `role-${i}`, namespace: `ns-${i % nsCount}` },
      rules: Array.from({ length: 1 + int(6) }, rule),
    });
  }
  const subject = (ns) => {
    const x = rnd();
    if (x < 0.4) return { kind: 'User', name: `user-${int(300)}` };
    if (x < 0.55) return { kind: 'Group', name: `group-${int(50)}` };
    return { kind: 'ServiceAccount', name: `sa-${int(20)}`, namespace: ns ?? `ns-${int(nsCount)}` };
  };
  const crbs = Math.round(BINDINGS / 5);
  for (let i = 0; i < crbs; i++) {
    items.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `crb-${i}` },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: `cr-${int(clusterRoles)}`,
      },
      subjects: Array.from({ length: 1 + int(3) }, () => subject()),
    });
  }
  for (let i = 0; i < BINDINGS - crbs; i++) {
    const ns = `ns-${i % nsCount}`;
    const toRole = rnd() < 0.5;
    const roleIdx = toRole
      ? int(Math.floor((ROLES - clusterRoles) / nsCount)) * nsCount + (i % nsCount)
      : int(clusterRoles);
    items.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `rb-${i}`, namespace: ns },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: toRole ? 'Role' : 'ClusterRole',
        name: toRole ? `role-${roleIdx}` : `cr-${roleIdx}`,
      },
      subjects: Array.from({ length: 1 + int(3) }, () => subject(ns)),
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

const load = await import(pathToFileURL(join(dist, 'kube/load/index.js')).href);
const rbac = await import(pathToFileURL(join(dist, 'kube/rbac/index.js')).href);

const ms = (t0) => {
  const d = Math.round(performance.now() - t0);
  process.stderr.write(`  phase done in ${d} ms\n`);
  return d;
};
const text = generate();
if (opt('--write')) {
  writeFileSync(opt('--write'), text);
  process.exit(0);
}
let t0 = performance.now();
const { resources } = load.parseKubeText(text, 'bench.json');
const tParse = ms(t0);
t0 = performance.now();
const { model, errors } = rbac.parseRbac(resources);
const authz = new rbac.Authorizer(model);
const tModel = ms(t0);

t0 = performance.now();
let queries = 0;
let answers = 0;
for (const namespace of ['', 'ns-7']) {
  for (const verb of VERBS) {
    for (const [apiGroup, resource] of RESOURCES) {
      answers += rbac.whoCan(authz, rbac.resourceRequest(verb, resource, { apiGroup, namespace })).length;
      queries++;
    }
  }
}
const tWho = ms(t0);

t0 = performance.now();
const risks = rbac.riskFindings(authz);
const tRisk = ms(t0);
const cpuMsNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// the escalation search: a fresh authorizer each run (its indexes count), CPU time
const escCpu = [];
const escWall = [];
let paths = [];
for (let i = 0; i < RUNS; i++) {
  const c0 = cpuMsNow();
  t0 = performance.now();
  paths = rbac.escalationFindings(new rbac.Authorizer(model));
  escWall.push(ms(t0));
  escCpu.push(cpuMsNow() - c0);
}
const tEsc = median(escWall);
const escS = median(escCpu) / 1000;

// `strata rbac` end to end on the same input: CPU time of the whole process
const e2eCpu = [];
const e2eWall = [];
let e2eFindings;
if (E2E_RUNS > 0) {
  const dir = mkdtempSync(join(tmpdir(), 'strata-rbac-bench-'));
  try {
    const input = join(dir, 'rbac.json');
    writeFileSync(input, text);
    const hook =
      'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("STRATA_CPU_MS "+Math.round((u.user+u.system)/1000)+"\\n")})';
    for (let i = 0; i < E2E_RUNS; i++) {
      const out = join(dir, 'out.json');
      const w0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          hook,
          join(dist, 'cli/main.js'),
          'rbac',
          input,
          '--format',
          'json',
          '-o',
          out,
          '--quiet',
        ],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      e2eWall.push(performance.now() - w0);
      const cpu = /STRATA_CPU_MS (\d+)/.exec(r.stderr ?? '');
      if (r.status !== 0 || !cpu) {
        console.error(
          `rbac bench: strata rbac failed (exit ${r.status}): ${(r.stderr ?? '').slice(0, 2000)}`,
        );
        process.exit(1);
      }
      e2eCpu.push(Number(cpu[1]));
      e2eFindings = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')).findings?.length;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  JSON.stringify(
    {
      roles: model.roles.length,
      bindings: model.bindings.length,
      parseErrors: errors.length,
      inputMB: +(text.length / 1e6).toFixed(1),
      parseMs: tParse,
      modelMs: tModel,
      whoCan: { queries, subjectsReturned: answers, totalMs: tWho, perQueryMs: +(tWho / queries).toFixed(2) },
      riskRules: { findings: risks.length, ms: tRisk },
      escalation: {
        findings: paths.length,
        ms: tEsc,
        cpuMsRuns: escCpu.map(Math.round),
        cpuMsMedian: Math.round(median(escCpu)),
      },
      ...(e2eCpu.length
        ? {
            strataRbac: {
              findings: e2eFindings,
              cpuMsRuns: e2eCpu,
              cpuMsMedian: median(e2eCpu),
              wallMsMedian: Math.round(median(e2eWall)),
            },
          }
        : {}),
      cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    null,
    2,
  ),
);
console.log(
  `GOAL rbac escalation ${ROLES} roles/${BINDINGS} bindings: ${escS.toFixed(1)} s CPU (goal <= ${GOAL_CPU_S.toFixed(1)}) ${escS <= GOAL_CPU_S ? 'ok' : 'MISSED'}`,
);
if (e2eCpu.length)
  console.log(
    `strata rbac end to end ${ROLES} roles/${BINDINGS} bindings: ${(median(e2eCpu) / 1000).toFixed(1)} s CPU median, ${(median(e2eWall) / 1000).toFixed(1)} s wall (${e2eFindings} findings)`,
  );
