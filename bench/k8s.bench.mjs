// `strata k8s` at scale: a generated cluster of ~20,000 resources served by a local HTTPS API
// server (this process; openssl-made CA, bearer token, limit/continue pagination), scanned by the
// built CLI in a child process: wall time, peak RSS (GNU time), findings and resources collected.
// Goals (issue 19): the CLI's peak RSS <= 250 MiB (median of --runs) and the collection (every
// list paged, parsed and converted; the loader of a live cluster) <= 2 s CPU, at 20k resources.
//
//   npm run build && node bench/k8s.bench.mjs [--resources 20000] [--page-size 500] [--runs 3]
//   STRATA_DIST=/tmp/build node bench/k8s.bench.mjs     (a build elsewhere)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { goal } from './goal.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const dist = resolve(process.env.STRATA_DIST ?? new URL('../dist', import.meta.url).pathname);
const target = Number(opt('--resources', '20000'));
const pageSize = opt('--page-size', '500');
const runs = Number(opt('--runs', '3'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A cluster shaped like a real one: per namespace, deployments with their replica sets and pods, services, policies, RBAC. */
function generate(total) {
  const perNs = 200; // resources per namespace, roughly
  const namespaces = Math.max(1, Math.round(total / perNs));
  const L = {};
  // every list strata k8s reads exists (empty when the generator puts nothing there)
  for (const path of [
    '/api/v1/replicationcontrollers',
    '/apis/apps/v1/statefulsets',
    '/apis/apps/v1/daemonsets',
    '/apis/batch/v1/jobs',
    '/apis/batch/v1/cronjobs',
    '/apis/networking.k8s.io/v1/ingresses',
    '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  ])
    L[path] = [];
  const add = (path, item) => {
    if (!L[path]) L[path] = [];
    L[path].push(item);
  };
  const meta = (name, namespace, extra = {}) => ({
    name,
    ...(namespace ? { namespace } : {}),
    uid: `${namespace ?? 'cluster'}-${name}`,
    resourceVersion: '1',
    creationTimestamp: '2024-05-01T10:00:00Z',
    managedFields: [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:status': {} },
      },
    ],
    ...extra,
  });
  const podSpec = (app, i) => ({
    containers: [
      {
        name: app,
        image: `registry.example.com/${app}:1.${i % 10}`,
        ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
        resources: i % 3 ? { limits: { cpu: '500m', memory: '256Mi' } } : {},
        securityContext:
          i % 4
            ? { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }
            : { privileged: i % 8 === 0 },
      },
    ],
    serviceAccountName: i % 5 ? 'default' : `${app}-sa`,
    ...(i % 50 === 0 ? { hostNetwork: true } : {}),
  });
  for (let n = 0; n < 3; n++)
    add('/api/v1/nodes', {
      metadata: meta(`node-${n}`),
      status: { nodeInfo: { kubeletVersion: 'v1.30.2' } },
    });
  add('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    metadata: meta('cluster-admin'),
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  });
  for (let ns = 0; ns < namespaces; ns++) {
    const name = `team-${ns}`;
    add('/api/v1/namespaces', {
      metadata: meta(name, undefined, {
        labels: { 'kubernetes.io/metadata.name': name, team: `t${ns % 7}` },
      }),
    });
    add('/apis/networking.k8s.io/v1/networkpolicies', {
      metadata: meta('default-deny', name),
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    add('/api/v1/serviceaccounts', { metadata: meta('default', name) });
    add('/apis/rbac.authorization.k8s.io/v1/roles', {
      metadata: meta('dev', name),
      rules: [
        {
          apiGroups: ['', 'apps'],
          resources: ['pods', 'deployments', 'pods/exec'],
          verbs: ['get', 'list', 'create'],
        },
      ],
    });
    add('/apis/rbac.authorization.k8s.io/v1/rolebindings', {
      metadata: meta('dev', name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'dev' },
      subjects: [
        { kind: 'Group', name: `team-${ns}-devs`, apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'ServiceAccount', name: 'default', namespace: name },
      ],
    });
    add('/api/v1/secrets', { metadata: meta('app-config', name) });
    for (let d = 0; d < 20; d++) {
      const app = `app-${d}`;
      const labels = { app, tier: d % 2 ? 'backend' : 'frontend' };
      const template = { metadata: { labels }, spec: podSpec(app, d + ns) };
      add('/apis/apps/v1/deployments', {
        metadata: meta(app, name, { labels }),
        spec: { replicas: 5, selector: { matchLabels: labels }, template },
        status: {},
      });
      add('/apis/apps/v1/replicasets', {
        metadata: meta(`${app}-6f7d8`, name, { labels }),
        spec: { replicas: 5, selector: { matchLabels: labels }, template },
        status: {},
      });
      add('/api/v1/services', {
        metadata: meta(app, name),
        spec: {
          type: d === 0 ? 'LoadBalancer' : 'ClusterIP',
          selector: labels,
          ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }],
        },
      });
      if (d % 4 === 0) {
        add('/apis/networking.k8s.io/v1/networkpolicies', {
          metadata: meta(`allow-${app}`, name),
          spec: {
            podSelector: { matchLabels: { app } },
            ingress: [
              {
                from: [{ namespaceSelector: { matchLabels: { team: `t${(ns + 1) % 7}` } } }],
                ports: [{ port: 8080 }],
              },
            ],
            policyTypes: ['Ingress'],
          },
        });
      }
      for (let p = 0; p < 7; p++) {
        add('/api/v1/pods', {
          metadata: meta(`${app}-6f7d8-${p}`, name, {
            labels,
            ownerReferences: [{ kind: 'ReplicaSet', name: `${app}-6f7d8`, controller: true }],
          }),
          spec: template.spec,
          status: { phase: 'Running', podIP: `10.${ns % 250}.${d}.${p + 1}` },
        });
      }
    }
  }
  return L;
}

function certs(dir) {
  const p = (f) => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      p('key.pem'),
      '-out',
      p('cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(p('key.pem')), cert: readFileSync(p('cert.pem')) };
}

function serve(lists, tls, token) {
  const server = https.createServer(tls, (req, res) => {
    const url = new URL(req.url, 'https://x');
    const json = (status, body) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (req.headers.authorization !== `Bearer ${token}`)
      return json(401, { kind: 'Status', code: 401, message: 'Unauthorized' });
    if (url.pathname === '/version') return json(200, { gitVersion: 'v1.30.2', major: '1', minor: '30' });
    const all = lists[url.pathname];
    if (!all) return json(404, { kind: 'Status', code: 404, message: 'not found' });
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const start = Number(url.searchParams.get('continue') ?? '0');
    const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
    const metaOnly = (req.headers.accept ?? '').includes('PartialObjectMetadataList');
    json(200, {
      kind: 'List',
      apiVersion: 'v1',
      metadata: end < all.length ? { continue: String(end), remainingItemCount: all.length - end } : {},
      items: all.slice(start, end).map((o) => (metaOnly ? { metadata: o.metadata } : o)),
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const dir = mkdtempSync(join(tmpdir(), 'strata-k8s-bench-'));
try {
  const lists = generate(target);
  const total = Object.values(lists).reduce((n, l) => n + l.length, 0);
  const tls = certs(dir);
  const server = await serve(lists, tls, 'bench-token');
  const port = server.address().port;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\ncurrent-context: bench\nclusters:\n- name: bench\n  cluster:\n    server: https://127.0.0.1:${port}\n    certificate-authority-data: ${tls.cert.toString('base64')}\ncontexts:\n- name: bench\n  context: {cluster: bench, user: bench}\nusers:\n- name: bench\n  user: {token: bench-token}\n`,
  );
  const out = join(dir, 'result.json');
  /** One `strata k8s` run: wall seconds, exit code, peak RSS (KiB) and its stderr. */
  async function scan() {
    const started = process.hrtime.bigint();
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        'MAXRSS=%M',
        process.execPath,
        join(dist, 'cli/main.js'),
        'k8s',
        '--kubeconfig',
        kubeconfig,
        '--page-size',
        pageSize,
        '--format',
        'json',
        '-o',
        out,
      ],
      { stdio: ['ignore', 'inherit', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise((ok) => child.on('close', ok));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (code !== 0 && code !== 1) throw new Error(`strata k8s exited ${code}: ${stderr}`);
    return { code, seconds, stderr, rss: Number(/MAXRSS=(\d+)/.exec(stderr)?.[1] ?? 0) };
  }
  /** The collection alone in a child node (the server answers from this process): its CPU seconds. */
  async function collect() {
    const kube = pathToFileURL(join(dist, 'kube/index.js')).href;
    const script = `
      const { ApiClient, collectCluster, loadKubeconfig } = await import(${JSON.stringify(kube)});
      const client = new ApiClient(loadKubeconfig({ kubeconfig: ${JSON.stringify(kubeconfig)} }), 30000);
      const before = process.cpuUsage();
      const { resources } = await collectCluster(client, { pageSize: ${Number(pageSize)} });
      const cpu = process.cpuUsage(before);
      client.close();
      console.log(JSON.stringify({ resources: resources.length, cpuS: (cpu.user + cpu.system) / 1e6 }));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const code = await new Promise((ok) => child.on('close', ok));
    if (code !== 0) throw new Error(`collection exited ${code}`);
    return JSON.parse(stdout.trim().split('\n').pop());
  }
  const scans = [];
  for (let i = 0; i < runs; i++) scans.push(await scan());
  const collects = [];
  for (let i = 0; i < runs; i++) collects.push(await collect());
  server.close();
  const { code, seconds, stderr } = scans[0];
  const rss = median(scans.map((s) => s.rss));
  const result = JSON.parse(readFileSync(out, 'utf8'));
  const byKind = {};
  for (const f of result.findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  console.log(
    JSON.stringify(
      {
        served: total,
        exitCode: code,
        seconds: Number(seconds.toFixed(2)),
        peakRssMiB: Math.round(rss / 1024),
        peakRssRunsMiB: scans.map((s) => Math.round(s.rss / 1024)),
        collectCpuRunsS: collects.map((c) => Number(c.cpuS.toFixed(2))),
        findings: result.findings.length,
        findingsByKind: byKind,
        errors: result.errors.length,
        progress: stderr.replace(/MAXRSS=\d+\s*$/, '').trim(),
      },
      null,
      2,
    ),
  );
  const label = target % 1000 === 0 ? `${target / 1000}k` : String(target);
  goal(`k8s ${label} resources peak`, rss / 1024, '<=', 250, ' MiB', 0);
  goal(`k8s ${label} resources collect CPU`, median(collects.map((c) => c.cpuS)), '<=', 2.0, ' s', 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
