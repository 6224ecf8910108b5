// `strata admission serve` under load: validating a typical Deployment (no registry I/O: digest-pinned
// images, registry allow-list only), over HTTPS on loopback, the server in a child process.
//   1. fixed rate (default 1,000 req/s for 10 s): p50/p99/max latency, errors (goal p99 <= 5 ms, 0 errors)
//   2. saturation: a closed loop of --connections requests in flight for 10 s: requests/s (one server
//      process is one core for the review work)
//   3. memory: server RSS after 10k, 50k and 100k requests (goal: flat)
// The load generator is undici (autocannon is not a dependency); it shares the machine with the server.
//
//   npm run build && node bench/admission.bench.mjs [--rate 1000] [--seconds 10] [--connections 16] [--requests 100000]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request } from 'undici';

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

const agent = new Agent({
  connect: { ca: readFileSync(p('ca.pem')) },
  connections: CONNECTIONS,
  pipelining: 1,
});
const url = `https://127.0.0.1:${port}/validate`;
let errors = 0;
async function once() {
  const started = process.hrtime.bigint();
  try {
    const r = await request(url, {
      method: 'POST',
      body,
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
    });
    const text = await r.body.text();
    if (r.statusCode !== 200 || !text.includes('"allowed":true')) errors++;
  } catch {
    errors++;
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// warm-up (JIT, TLS sessions)
for (let i = 0; i < 2000; i++) await once();

// 1. fixed rate
{
  errors = 0;
  const latencies = [];
  const total = RATE * SECONDS;
  const started = performance.now();
  const inflight = [];
  // open loop: every 2 ms tick sends the requests due by then (yielding between ticks, so sending
  // and answers interleave as with a real client)
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * RATE) / 1000) + 1);
    for (; sent < due; sent++) inflight.push(once().then((ms) => latencies.push(ms)));
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `fixed rate ${RATE} req/s for ${SECONDS} s: ${(total / seconds).toFixed(0)} req/s achieved, p50 ${pct(latencies, 0.5).toFixed(2)} ms, p99 ${pct(latencies, 0.99).toFixed(2)} ms (goal <= 5 ms), max ${latencies.at(-1).toFixed(1)} ms, ${errors} errors`,
  );
}

// 2. saturation
{
  errors = 0;
  let done = 0;
  const end = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      await once();
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `saturation (${CONNECTIONS} in flight, one server process): ${(done / seconds).toFixed(0)} req/s, ${errors} errors`,
  );
}

// 3. memory over REQUESTS requests
{
  errors = 0;
  const marks = new Map([
    [10_000, 0],
    [Math.floor(REQUESTS / 2), 0],
    [REQUESTS, 0],
  ]);
  let next = 0;
  const worker = async () => {
    while (next < REQUESTS) {
      next++;
      await once();
      if (marks.has(next)) marks.set(next, rssMiB());
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  console.log(
    `memory: server RSS ${[...marks].map(([n, m]) => `${m.toFixed(0)} MiB after ${n}`).join(', ')} requests (peak goal: flat), ${errors} errors`,
  );
}

await agent.close();
server.kill('SIGTERM');
rmSync(work, { recursive: true, force: true });
