// `strata admission serve` under load: validating a typical Deployment (no registry I/O: digest-pinned
// images, registry allow-list only), over HTTPS on loopback, the server in a child process.
//   1. fixed rate (default 1,000 req/s for 10 s): p50/p99/max latency, errors (goal p99 <= 5 ms, 0 errors)
//   2. saturation: a closed loop of --connections requests in flight for 10 s: requests/s (one server
//      process is one core for the review work)
//   3. memory: server RSS after 10k, 50k and 100k requests (goal: flat)
// The load generator is autocannon, in this process; it shares the machine with the server.
//
//   npm run build && node bench/admission.bench.mjs [--rate 1000] [--seconds 10] [--connections 16] [--requests 100000]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { goal } from './goal.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const RATE = opt('--rate', 1000);
const SECONDS = opt('--seconds', 10);
const CONNECTIONS = opt('--connections', 16);
const REQUESTS = opt('--requests', 100_000);
const dist = resolve(process.env.STRATA_DIST ?? new URL('../dist', import.meta.url).pathname);

const work = mkdtempSync(join(tmpdir(), 'strata-admission-bench-'));
const p = (f) => join(work, f);
const ssl = (...a) => execFileSync('openssl', a, { stdio: 'ignore' });
ssl(
  'req',
  '-x509',
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:prime256v1',
  '-nodes',
  '-keyout',
  p('ca.key'),
  '-out',
  p('ca.pem'),
  '-days',
  '1',
  '-subj',
  '/CN=bench-ca',
);
ssl(
  'req',
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:prime256v1',
  '-nodes',
  '-keyout',
  p('tls.key'),
  '-out',
  p('tls.csr'),
  '-subj',
  '/CN=127.0.0.1',
);
writeFileSync(p('tls.ext'), 'subjectAltName=IP:127.0.0.1\n');
ssl(
  'x509',
  '-req',
  '-in',
  p('tls.csr'),
  '-CA',
  p('ca.pem'),
  '-CAkey',
  p('ca.key'),
  '-CAcreateserial',
  '-days',
  '1',
  '-extfile',
  p('tls.ext'),
  '-out',
  p('tls.crt'),
);
writeFileSync(p('policy.yaml'), 'images: { allowedRegistries: ["registry.example.com"] }\n');

const digest = `sha256:${'c'.repeat(64)}`;
const container = (name) => ({
  name,
  image: `registry.example.com/shop/${name}@${digest}`,
  ports: [{ containerPort: 8080 }],
  env: [{ name: 'MODE', value: 'production' }],
  resources: { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  },
  readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
  livenessProbe: { httpGet: { path: '/live', port: 8080 } },
});
const body = JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'bench',
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    name: 'web',
    namespace: 'shop',
    operation: 'CREATE',
    userInfo: { username: 'ci', groups: ['system:authenticated'] },
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            serviceAccountName: 'web',
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [container('web'), container('sidecar')],
          },
        },
      },
    },
  },
});

const port = await new Promise((res) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => res(port));
  });
});
const server = spawn(
  process.execPath,
  [
    join(dist, 'cli/main.js'),
    'admission',
    'serve',
    '--policy',
    p('policy.yaml'),
    '--tls-cert',
    p('tls.crt'),
    '--tls-key',
    p('tls.key'),
    '--port',
    String(port),
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
await new Promise((res, rej) => {
  let err = '';
  server.stderr.on('data', (d) => {
    err += d;
    if (err.includes('listening on')) res();
  });
  server.once('exit', (c) => rej(new Error(`server exited ${c}: ${err}`)));
});
const rssMiB = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

const ca = readFileSync(p('ca.pem'));
const url = `https://127.0.0.1:${port}/validate`;
/** One autocannon run against /validate (a non-2xx answer counts as an error). */
const cannon = (opts) =>
  autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    tlsOptions: { ca },
    connections: CONNECTIONS,
    ...opts,
  });

// warm-up (JIT, TLS sessions)
await cannon({ amount: 2000 });

// 1. fixed rate
{
  const r = await cannon({ overallRate: RATE, duration: SECONDS });
  console.log(
    `fixed rate ${RATE} req/s for ${SECONDS} s (autocannon): ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, ${r.errors + r.timeouts + r.non2xx} errors`,
  );
  goal(`admission p99 at ${RATE} req/s`, r.latency.p99, '<=', 5, ' ms', 1);
  goal(`admission errors at ${RATE} req/s`, r.errors + r.timeouts + r.non2xx, '<=', 0, '', 0);
}

// 2. saturation
{
  const r = await cannon({ duration: SECONDS });
  console.log(
    `saturation (${CONNECTIONS} connections, one server process): ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms, ${r.errors + r.timeouts + r.non2xx} errors`,
  );
}

// 3. memory over REQUESTS requests
{
  const marks = [];
  let first = 0;
  let done = 0;
  let errors = 0;
  for (const step of [10_000, Math.floor(REQUESTS / 2) - 10_000, REQUESTS - Math.floor(REQUESTS / 2)]) {
    const r = await cannon({ amount: step });
    errors += r.errors + r.timeouts + r.non2xx;
    done += step;
    const rss = rssMiB();
    if (!first) first = rss;
    marks.push(`${rss.toFixed(0)} MiB after ${done}`);
  }
  console.log(`memory: server RSS ${marks.join(', ')} requests (goal: flat), ${errors} errors`);
  // flat: the last mark within 25% of the first (RSS after warm-up)
  goal(`admission RSS growth 10000 -> ${REQUESTS} requests`, rssMiB() / first, '<=', 1.25, 'x');
}

server.kill('SIGTERM');
rmSync(work, { recursive: true, force: true });
