// strata config at scale: one YAML stream of N workload documents (default 10,000: Deployments,
// StatefulSets, CronJobs, Pods and Services, Helm-like, with comments and --- separators).
// Measures, each in its own process: load (parse + positions), Pod Security Standards + workload
// rules, and the whole CLI (`strata config FILE --format json`) wall time and peak RSS.
// Goals (issue 19): peak RSS of the CLI <= 250 MiB and the load <= 2 s CPU (the loader alone:
// read, parse, line index; median of --runs), both at 10,000 documents.
//
//   npm run build && node bench/config.bench.mjs [--docs 10000] [--runs 3]
//   STRATA_DIST=/tmp/build node bench/config.bench.mjs     (a build elsewhere)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
const docs = Number(opt('--docs', '10000'));
const runs = Number(opt('--runs', '3'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function container(i) {
  return `        - name: app
          image: registry.example.com/team/app-${i % 97}:1.${i % 13}.0
          ports:
            - containerPort: 8080
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: ${i % 3 === 0}
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
          env:
            - name: MODE
              value: production`;
}

function doc(i) {
  const ns = `team-${i % 40}`;
  switch (i % 5) {
    case 0:
    case 1:
      return `# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ${ns}
  labels: {app.kubernetes.io/name: app-${i}}
spec:
  replicas: 2
  template:
    metadata:
      labels: {app.kubernetes.io/name: app-${i}}
    spec:
      serviceAccountName: app
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
${container(i)}
`;
    case 2:
      return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db-${i}, namespace: ${ns}}
spec:
  template:
    spec:
      containers:
${container(i)}
      volumes:
        - name: data
          hostPath: {path: /var/lib/db-${i}}
`;
    case 3:
      return `apiVersion: batch/v1
kind: CronJob
metadata: {name: job-${i}, namespace: ${ns}}
spec:
  schedule: "*/10 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox
              securityContext: {runAsUser: 0}
`;
    default:
      return `apiVersion: v1
kind: Service
metadata: {name: svc-${i}, namespace: ${ns}}
spec:
  type: ${i % 2 ? 'ClusterIP' : 'NodePort'}
  ports: [{port: 80, targetPort: 8080}]
`;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'strata-config-bench-'));
const file = join(dir, 'manifests.yaml');
writeFileSync(file, Array.from({ length: docs }, (_, i) => doc(i)).join('---\n'));
const size = statSync(file).size;

/** Runs `script` in a fresh node and returns its JSON line plus peak RSS (GNU time). */
function child(script) {
  const out = execFileSync(
    '/usr/bin/time',
    ['-f', 'MAXRSS=%M', process.execPath, '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
    },
  );
  return JSON.parse(out.trim().split('\n').pop());
}

/** Runs a command under GNU time: wall ms, CPU seconds (user + system) and peak RSS in KiB. */
function timed(cmd, cmdArgs) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME=%M %U %S', cmd, ...cmdArgs], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const m = /TIME=(\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`no measurement: ${r.stderr}`);
  return { ms, rssKiB: Number(m[1]), cpuS: Number(m[2]) + Number(m[3]) };
}

const load = pathToFileURL(join(dist, 'kube/load/index.js')).href;
const workload = pathToFileURL(join(dist, 'kube/workload/index.js')).href;
const phaseScript = `
  const { loadKubeResources } = await import(${JSON.stringify(load)});
  const { scanWorkloads } = await import(${JSON.stringify(workload)});
  const before = process.cpuUsage();
  let t = performance.now();
  const { resources, errors } = await loadKubeResources([${JSON.stringify(file)}]);
  const loadMs = performance.now() - t;
  const loadCpu = process.cpuUsage(before);
  const scanBefore = process.cpuUsage();
  t = performance.now();
  const findings = scanWorkloads(resources, { pss: { level: 'restricted', version: { latest: true } } });
  const scanMs = performance.now() - t;
  const heapMiB = process.memoryUsage().heapUsed / 1048576;
  const cpu = process.cpuUsage(scanBefore);
  console.log(JSON.stringify({ resources: resources.length, errors: errors.length, findings: findings.length, loadMs, scanMs, heapMiB, loadCpuS: (loadCpu.user + loadCpu.system) / 1e6, scanCpuS: (cpu.user + cpu.system) / 1e6 }));
`;
const phaseRuns = Array.from({ length: runs }, () => child(phaseScript));
const phases = phaseRuns[0];
const loadCpuS = median(phaseRuns.map((p) => p.loadCpuS));

const cli = join(dist, 'cli/main.js');
const outFile = join(dir, 'out.json');
const cliRuns = Array.from({ length: runs }, () =>
  timed(process.execPath, [cli, 'config', file, '--format', 'json', '-q', '-o', outFile]),
);
const run = cliRuns[0];
const peakMiB = median(cliRuns.map((r) => r.rssKiB)) / 1024;
const cliOut = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '-e',
      `process.stdout.write(String(JSON.parse(require('fs').readFileSync(${JSON.stringify(outFile)},'utf8')).findings.length))`,
    ],
    { encoding: 'utf8' },
  ),
);

console.log(`strata config: ${docs} documents, ${(size / 1048576).toFixed(1)} MiB of YAML`);
console.log(
  `  load (read + parse + line index): ${phases.loadMs.toFixed(0)} ms wall, ${loadCpuS.toFixed(2)} s CPU (median of ${runs}: ${phaseRuns.map((p) => p.loadCpuS.toFixed(2)).join(', ')}), ${phases.resources} resources (${phases.errors} errors)`,
);
console.log(
  `  PSS restricted + workload rules: ${phases.scanMs.toFixed(0)} ms wall, ${phases.scanCpuS.toFixed(1)} s CPU, ${phases.findings} findings`,
);
console.log(`  heap after scan: ${phases.heapMiB.toFixed(0)} MiB`);
console.log(
  `  CLI end to end (--format json): ${(run.ms / 1000).toFixed(1)} s wall, ${run.cpuS.toFixed(1)} s CPU, peak RSS ${peakMiB.toFixed(0)} MiB (median of ${runs}: ${cliRuns.map((r) => (r.rssKiB / 1024).toFixed(0)).join(', ')}), ${cliOut} findings`,
);
const label = docs % 1000 === 0 ? `${docs / 1000}k` : String(docs);
goal(`config ${label} docs peak`, peakMiB, '<=', 250, ' MiB', 0);
goal(`config ${label} docs load CPU`, loadCpuS, '<=', 2.0, ' s', 1);
rmSync(dir, { recursive: true, force: true });
