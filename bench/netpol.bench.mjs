// NetworkPolicy engine at scale: generated clusters of 500 / 5,000 pods with 100 / 1,000
// policies (and sizes in between), each measured in its own process: parse, class building and
// policy compilation, the full class-by-class matrix (every pair, exact port sets), the
// namespace matrix, and peak RSS. Growth is reported against the number of pod classes.
//
//   npm run build && node bench/netpol.bench.mjs [--sizes 500:100,5000:1000] [--seed 1]
//   STRATA_DIST=/tmp/build node bench/netpol.bench.mjs     (a build elsewhere)
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { prng } from './prng.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const dist = resolve(process.env.STRATA_DIST ?? new URL('../dist', import.meta.url).pathname);
const seed = Number(opt('--seed', '1'));

/**
 * A cluster shaped like real ones: 50 pods per namespace, workloads of 5 replicas (pods with
 * IPs), a default-deny per namespace, then allow policies between workloads, across namespaces,
 * by named port, port range and CIDR.
 */
function generate(pods, policies) {
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  const nsCount = Math.max(1, Math.round(pods / 50));
  const workloads = Math.round(pods / 5);
  const out = [];
  for (let n = 0; n < nsCount; n++) {
    out.push({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name: `ns${n}`, labels: { team: `t${n % 7}`, env: pick(['prod', 'dev']) } },
    });
  }
  for (let w = 0; w < workloads; w++) {
    const ns = `ns${w % nsCount}`;
    const ports = [{ containerPort: pick([8080, 9000, 3000]), name: 'http' }];
    if (w % 10 === 0) ports.push({ containerPort: pick([5432, 3306, 6379]), name: 'db' });
    const labels = { app: `w${w}`, tier: pick(['tier0', 'tier1', 'tier2', 'data']) };
    for (let r = 0; r < 5; r++) {
      const i = w * 5 + r;
      out.push({
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: {
          name: `w${w}-${r}`,
          namespace: ns,
          labels,
        },
        spec: { containers: [{ name: 'c', ports }] },
        status: { podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
      });
    }
  }
  const policy = (ns, name, spec) => ({
    kind: 'NetworkPolicy',
    apiVersion: 'networking.k8s.io/v1',
    metadata: { name, namespace: ns },
    spec,
  });
  for (let n = 0; n < nsCount && out.length; n++)
    out.push(policy(`ns${n}`, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
  for (let p = nsCount; p < policies; p++) {
    const w = int(workloads);
    const ns = `ns${w % nsCount}`;
    const peer = () => {
      const r = rnd();
      const other = int(workloads);
      if (r < 0.4) return { podSelector: { matchLabels: { app: `w${other}` } } };
      if (r < 0.7)
        return {
          namespaceSelector: { matchLabels: { team: `t${int(7)}` } },
          podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['tier0', 'tier1'] }] },
        };
      if (r < 0.9)
        return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': `ns${int(nsCount)}` } } };
      return { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } };
    };
    const ports = () =>
      pick([
        [{ port: 'http' }],
        [{ port: 5432 }],
        [{ port: 8000, endPort: 9100 }],
        [{ protocol: 'UDP', port: 53 }],
        [],
      ]);
    const rules = (field) =>
      Array.from({ length: 1 + int(3) }, () => ({ [field]: [peer(), peer()], ports: ports() }));
    out.push(
      policy(ns, `p${p}`, {
        podSelector: { matchLabels: { app: `w${w}` } },
        ingress: rules('from'),
        egress: rules('to'),
      }),
    );
  }
  return out;
}

async function measureOne(pods, policies) {
  const { parseCluster, ClassEngine, buildMatrix, networkFindings, encryptionFindings, blastRadius } =
    await import(pathToFileURL(join(dist, 'kube/netpol/index.js')).href);
  const objects = generate(pods, policies);
  const t0 = performance.now();
  const { cluster, errors } = parseCluster(
    objects.map((object) => ({ kind: object.kind, object, file: 'gen', line: 1 })),
  );
  if (errors.length) throw new Error(errors[0].message);
  const t1 = performance.now();
  const engine = new ClassEngine(cluster);
  const t2 = performance.now();
  const n = engine.classes.length;
  let allowedPairs = 0;
  for (let s = 0; s < n; s++) for (let d = 0; d < n; d++) if (!engine.allowed(s, d).isEmpty()) allowedPairs++;
  const t3 = performance.now();
  const nsMatrix = buildMatrix(engine, 'namespace');
  const t4 = performance.now();
  const findings = [...networkFindings(cluster, engine), ...encryptionFindings(cluster)];
  const t5 = performance.now();
  blastRadius(engine, `${cluster.pods[0].namespace}/${cluster.pods[0].name}`);
  const t6 = performance.now();
  return {
    pods: cluster.pods.length,
    policies: cluster.policies.length,
    classes: n,
    parseMs: Math.round(t1 - t0),
    engineMs: Math.round(t2 - t1),
    matrixMs: Math.round(t3 - t2),
    nsMatrixMs: Math.round(t4 - t3),
    findingsMs: Math.round(t5 - t4),
    blastMs: Math.round(t6 - t5),
    allowedPairs,
    nsEdges: nsMatrix.edges.length,
    findings: findings.length,
    usPerPair: Number((((t3 - t2) * 1000) / (n * n)).toFixed(2)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (args[0] === '--one') {
  const [pods, policies] = args[1].split(':').map(Number);
  process.stdout.write(`${JSON.stringify(await measureOne(pods, policies))}\n`);
} else {
  const sizes = opt('--sizes', '500:100,1000:200,2000:400,5000:1000').split(',');
  const rows = sizes.map((size) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--one', size, '--seed', String(seed)],
        { env: process.env, encoding: 'utf8' },
      ),
    ),
  );
  console.table(rows);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const classGrowth = last.classes / first.classes;
  const timeGrowth = (last.engineMs + last.matrixMs) / Math.max(1, first.engineMs + first.matrixMs);
  console.log(
    `classes x${classGrowth.toFixed(1)}, class pairs x${(classGrowth ** 2).toFixed(1)}, engine+matrix time x${timeGrowth.toFixed(1)}; ` +
      `time per class pair ${first.usPerPair} -> ${last.usPerPair} us`,
  );
}
