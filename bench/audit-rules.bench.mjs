// `node bench/audit-rules.bench.mjs [--events N] [--memory-events M]`: Kubernetes audit events per second
// through the full Falco community k8s_audit rule set (dist/audit, the engine `strata audit` runs),
// against the same process doing only JSON.parse on the same lines (the limit). Issue 15's goal:
// >= 0.5x of the JSON.parse limit and >= 50k events/s on one core; heap flat over 1M events.
// Needs a build (`npm run build`).
import { readFileSync } from 'node:fs';
import { goal } from './goal.mjs';

const { loadRuleTexts } = await import('../dist/audit/index.js');

const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i === -1 ? dflt : Number(argv[i + 1]);
};
const N = arg('--events', 100_000);
const MEMORY_EVENTS = arg('--memory-events', 1_000_000);

const rulesText = readFileSync(
  new URL('../src/audit/fixtures/k8s_audit_rules.yaml', import.meta.url),
  'utf8',
);
const rules = loadRuleTexts([{ name: 'k8s_audit_rules.yaml', text: rulesText }]);

// A deterministic, realistic mix: mostly controller and kubelet reads and watches, some writes with
// request bodies (pods, deployments, configmaps, roles, bindings), a few execs and secret reads.
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const USERS = [
  'system:serviceaccount:kube-system:replicaset-controller',
  'system:serviceaccount:kube-system:deployment-controller',
  'system:node:worker-1',
  'system:kube-scheduler',
  'system:kube-controller-manager',
  'system:serviceaccount:apps:api',
  'alice@example.com',
  'ci-deployer',
  'kubernetes-admin',
];
const NAMESPACES = ['default', 'kube-system', 'apps', 'payments', 'monitoring'];
const READ = [
  'pods',
  'configmaps',
  'secrets',
  'services',
  'endpoints',
  'nodes',
  'leases',
  'deployments',
  'events',
];
let id = 0;

function base(verb, resource, ns, name, code, extra = {}) {
  id++;
  const path = `/api/v1/namespaces/${ns}/${resource}${name ? `/${name}` : ''}`;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: extra.requestObject ? 'RequestResponse' : 'Metadata',
    auditID: `6f1c2a3e-0000-4000-8000-${String(id).padStart(12, '0')}`,
    stage: rand() < 0.85 ? 'ResponseComplete' : 'ResponseStarted',
    requestURI: verb === 'watch' ? `${path}?watch=true&resourceVersion=${id}` : path,
    verb,
    user: { username: pick(USERS), groups: ['system:authenticated'] },
    sourceIPs: ['10.0.0.12'],
    userAgent: 'kube-controller-manager/v1.34.0 (linux/amd64) kubernetes/abcdef0',
    objectRef: { resource, namespace: ns, ...(name ? { name } : {}), apiVersion: 'v1' },
    responseStatus: { metadata: {}, code },
    requestReceivedTimestamp: '2026-12-04T01:00:00.000000Z',
    stageTimestamp: '2026-12-04T01:00:00.004211Z',
    annotations: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "system:controller"',
    },
    ...extra,
  };
}

function podSpec() {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: `web-${id}`, labels: { app: 'web', 'pod-template-hash': '7d9c' } },
    spec: {
      containers: [
        {
          name: 'web',
          image: pick(['nginx:1.27', 'ghcr.io/acme/api:2.4.1', 'registry.k8s.io/pause:3.10']),
          ports: [{ containerPort: 8080 }],
          resources: { limits: { cpu: '500m', memory: '256Mi' } },
          securityContext: { privileged: rand() < 0.02, runAsNonRoot: true },
        },
        { name: 'sidecar', image: 'envoyproxy/envoy:v1.31.0' },
      ],
      volumes:
        rand() < 0.03
          ? [{ name: 'h', hostPath: { path: '/var/run/docker.sock' } }]
          : [{ name: 'cfg', configMap: { name: 'web' } }],
      hostNetwork: rand() < 0.01,
      serviceAccountName: 'web',
    },
  };
}

function event() {
  const r = rand();
  const ns = pick(NAMESPACES);
  if (r < 0.6)
    return base(
      pick(['get', 'list', 'watch']),
      pick(READ),
      ns,
      rand() < 0.5 ? `obj-${id % 50}` : undefined,
      200,
    );
  if (r < 0.75)
    return base(
      pick(['update', 'patch']),
      pick(['leases', 'pods', 'endpoints', 'events']),
      ns,
      `obj-${id % 50}`,
      200,
    );
  if (r < 0.85)
    return base('create', 'pods', ns, undefined, 201, {
      requestObject: podSpec(),
      responseObject: { metadata: { name: `web-${id}` } },
    });
  if (r < 0.9)
    return base(
      'create',
      pick(['configmaps', 'services', 'deployments', 'secrets']),
      ns,
      `obj-${id}`,
      pick([201, 201, 403]),
      {
        requestObject: { data: { color: 'blue', 'db.password': rand() < 0.1 ? 'x' : undefined } },
        spec: { type: 'ClusterIP' },
      },
    );
  if (r < 0.94)
    return base(
      'create',
      pick(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']),
      ns,
      `rbac-${id}`,
      201,
      {
        requestObject: {
          rules: [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get', 'create'] }],
          roleRef: { name: pick(['view', 'edit', 'cluster-admin']) },
          subjects: [{ kind: 'User', name: 'bob' }],
        },
      },
    );
  if (r < 0.97)
    return base('create', 'pods', ns, `web-${id % 20}`, 101, {
      objectRef: {
        resource: 'pods',
        namespace: ns,
        name: 'web',
        subresource: pick(['exec', 'attach', 'portforward']),
      },
    });
  return base(
    'delete',
    pick(['pods', 'configmaps', 'deployments', 'secrets', 'namespaces']),
    ns,
    `obj-${id}`,
    200,
  );
}

const lines = Array.from({ length: N }, () => JSON.stringify(event()));
const bytes = lines.reduce((n, l) => n + l.length + 1, 0);

function parseOnly() {
  let sink = 0;
  for (const line of lines) sink += JSON.parse(line).auditID.length;
  return sink;
}
let alerts = 0;
function detect() {
  alerts = 0;
  for (const line of lines) alerts += rules.evaluate(JSON.parse(line)).length;
}
const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

// warm up, then best of 5 alternating runs so both see the same machine state
time(parseOnly);
time(detect);
let bestParse = Number.POSITIVE_INFINITY;
let bestDetect = Number.POSITIVE_INFINITY;
for (let i = 0; i < 5; i++) {
  bestParse = Math.min(bestParse, time(parseOnly));
  bestDetect = Math.min(bestDetect, time(detect));
}
const parseRate = Math.round(N / (bestParse / 1000));
const detectRate = Math.round(N / (bestDetect / 1000));
const ratio = +(detectRate / parseRate).toFixed(2);

// memory over MEMORY_EVENTS: the same lines cycled, heap sampled after each 100k
global.gc?.();
const heapStart = process.memoryUsage().heapUsed;
let heapMax = heapStart;
for (let done = 0; done < MEMORY_EVENTS; ) {
  for (let i = 0; i < lines.length && done < MEMORY_EVENTS; i++, done++) {
    rules.evaluate(JSON.parse(lines[i]));
    if (done % 100_000 === 99_999) {
      global.gc?.();
      heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
    }
  }
}
const growthMiB = +((heapMax - heapStart) / 1048576).toFixed(1);

console.log(
  `events: ${N} (${(bytes / 1e6).toFixed(1)} MB of JSON lines), rules: ${rules.rules.length}, alerts per pass: ${alerts}`,
);
console.log(`JSON.parse only: ${parseRate} events/s`);
console.log(`JSON.parse + rules: ${detectRate} events/s`);
goal('audit events/s, community rules', detectRate, '>=', 50_000, '', 0);
goal('audit rules vs JSON.parse alone', Number(ratio), '>=', 0.5, 'x');
console.log(
  `heap growth over ${MEMORY_EVENTS} events: ${growthMiB} MiB${global.gc ? '' : ' (run with --expose-gc for exact numbers)'}`,
);
