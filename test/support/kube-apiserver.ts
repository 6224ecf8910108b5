import { execFile, execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import https from 'node:https';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';

/**
 * A real control plane for integration tests: etcd + kube-apiserver + kube-controller-manager
 * (v1.34, built from the Go module proxy by test/support/kube/build.sh) on 127.0.0.1, started by
 * test/support/kube/start.sh at most once per test run and stopped by the integration project's
 * global setup (test/support/kube-global-setup.ts) through the PIDs start.sh records.
 *
 * Sharing: the global setup hands every test file the same state dir; the first file that calls
 * `kubeApiServer()` starts the servers there (an O_EXCL lock file keeps a second caller waiting for
 * the first one's `env` file), later files reuse them. Tests must therefore create their own
 * namespaces / uniquely named objects and leave the built-in ones alone.
 *
 * Binaries: `$KUBE_CACHE/bin/kube-apiserver` and `kube-controller-manager` (default
 * `~/.cache/strata-kube`; `.ci/run` builds them in the background and exports KUBE_CACHE). This
 * helper never builds them (15 minutes): `kubeSkipReason()` says why they are missing, and under
 * CI=true a missing binary is a failure, never a silent skip.
 *
 * `STRATA_KUBE_STATE_DIR=DIR` (a dir start.sh already runs in) reuses those servers and never stops
 * them: for working on a test without a 15 s start per run.
 */
export interface KubeApiServer {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  /** path of the CA certificate (PEM) that signed the serving certs; `caKey` its key (for webhook certs) */
  readonly ca: string;
  readonly caKey: string;
  readonly caPem: string;
  /** user strata-admin, group system:masters */
  readonly adminToken: string;
  /** user strata-lowpriv, group strata:lowpriv, bound to ClusterRole strata-lowpriv-reader */
  readonly lowprivToken: string;
  readonly adminKubeconfig: string;
  readonly lowprivKubeconfig: string;
  /** JSON lines; rotated to `audit-<time>.log` beside it at 100 MiB */
  readonly auditLog: string;
  readonly stateDir: string;
  readonly etcdUrl: string;
  readonly pids: { readonly etcd: number; readonly apiserver: number; readonly controllerManager: number };
  /** a request as admin (or with `token`); JSON in and out; never throws on an HTTP status */
  request(method: string, path: string, body?: unknown, token?: string): Promise<KubeResponse>;
  /** like `request`, but any status other than 2xx throws with the server's message */
  ok(method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>>;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const SCRIPTS = resolve(import.meta.dirname, 'kube');
const LOCK = '.strata-start.lock';
const FAILED = '.strata-start.failed';

/** Where the binaries are (start.sh's defaults). */
export function kubeBinaries(): { apiserver: string; controllerManager: string } {
  const cache = process.env.KUBE_CACHE || join(homedir(), '.cache', 'strata-kube');
  return {
    apiserver: process.env.KUBE_APISERVER || join(cache, 'bin', 'kube-apiserver'),
    controllerManager: process.env.KUBE_CONTROLLER_MANAGER || join(cache, 'bin', 'kube-controller-manager'),
  };
}

function missingTools(): string[] {
  const missing: string[] = [];
  const { apiserver, controllerManager } = kubeBinaries();
  for (const [name, path] of [
    ['kube-apiserver', apiserver],
    ['kube-controller-manager', controllerManager],
  ] as const) {
    try {
      if (!(statSync(path).mode & 0o111)) missing.push(`${name} (${path} is not executable)`);
    } catch {
      missing.push(`${name} (no ${path}; build with: bash test/support/kube/build.sh)`);
    }
  }
  for (const tool of ['etcd', 'openssl', 'curl']) {
    const found = (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, tool)));
    if (!found) missing.push(`${tool} (not on PATH)`);
  }
  return missing;
}

/**
 * Why the real API server cannot run here, or undefined when it can. Under CI=true a missing
 * piece throws (CI must build it: .ci/run), so a suite can never pass by skipping.
 */
export function kubeSkipReason(suite: string): string | undefined {
  if (process.env.STRATA_KUBE_STATE_DIR) return undefined;
  const missing = missingTools();
  if (missing.length === 0) return undefined;
  const reason = `${suite}: the real kube-apiserver cannot run: missing ${missing.join(', ')}`;
  if (process.env.CI === 'true' || process.env.CI === '1')
    throw new Error(`${reason} (CI=true: not skipping)`);
  console.warn(`${reason}; these tests are skipped`);
  return reason;
}

function stateDirOfRun(): { dir: string; owned: boolean } {
  const reuse = process.env.STRATA_KUBE_STATE_DIR;
  if (reuse) return { dir: resolve(reuse), owned: false };
  let provided: string | undefined;
  try {
    provided = inject('strataKubeStateDir');
  } catch {
    provided = undefined;
  }
  if (provided) return { dir: provided, owned: true };
  // outside the integration project (no global setup): one instance for this process, stopped on exit
  const dir = mkdtempSync(join(tmpdir(), 'strata-kube-test-'));
  process.once('exit', () => stopKubeSync(dir));
  return { dir, owned: true };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { env, timeout: 300_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      res({ code, out: `${stdout}${stderr}` });
    });
  });
}

function parseEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function startOnce(dir: string): Promise<Record<string, string>> {
  const envFile = join(dir, 'env');
  let fd: number | undefined;
  try {
    fd = openSync(join(dir, LOCK), 'wx');
  } catch {
    fd = undefined;
  }
  if (fd !== undefined) {
    writeSync(fd, String(process.pid));
    closeSync(fd);
    const { apiserver, controllerManager } = kubeBinaries();
    const r = await run('bash', [join(SCRIPTS, 'start.sh')], {
      ...process.env,
      KUBE_STATE_DIR: dir,
      KUBE_APISERVER: apiserver,
      KUBE_CONTROLLER_MANAGER: controllerManager,
    });
    if (r.code !== 0 || !existsSync(envFile)) {
      const message = `test/support/kube/start.sh failed (exit ${r.code}):\n${r.out.slice(-3000)}`;
      closeSync(openSync(join(dir, FAILED), 'w'));
      throw new Error(message);
    }
    return parseEnvFile(envFile);
  }
  // another test file is starting it: wait for its env file
  const deadline = Date.now() + 300_000;
  while (!existsSync(envFile)) {
    if (existsSync(join(dir, FAILED))) throw new Error(`the shared kube-apiserver in ${dir} failed to start`);
    if (Date.now() > deadline) throw new Error(`the shared kube-apiserver in ${dir} did not start in 300 s`);
    await sleep(250);
  }
  await sleep(100); // the env file is written in one go, but let the writer finish
  return parseEnvFile(envFile);
}

let shared: Promise<KubeApiServer> | undefined;

/** The shared control plane of this test run, started on first use. */
export function kubeApiServer(): Promise<KubeApiServer> {
  shared ??= connect().catch((err) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

async function connect(): Promise<KubeApiServer> {
  const { dir } = stateDirOfRun();
  const env = existsSync(join(dir, 'env')) ? parseEnvFile(join(dir, 'env')) : await startOnce(dir);
  const pids = {
    etcd: Number(env.KUBE_ETCD_PID),
    apiserver: Number(env.KUBE_APISERVER_PID),
    controllerManager: Number(env.KUBE_CONTROLLER_MANAGER_PID),
  };
  if (!pidAlive(pids.apiserver) || !pidAlive(pids.etcd)) {
    throw new Error(`the kube-apiserver of ${dir} is not running (PIDs ${JSON.stringify(pids)})`);
  }
  const caPem = readFileSync(env.KUBE_CA!, 'utf8');
  const agent = new https.Agent({ ca: caPem, keepAlive: true, maxSockets: 16 });
  const url = env.KUBE_URL!;
  const adminToken = env.KUBE_ADMIN_TOKEN!;
  const request = (method: string, path: string, body?: unknown, token = adminToken) =>
    new Promise<KubeResponse>((res, rej) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        `${url}${path}`,
        {
          method,
          agent,
          timeout: 30_000,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(data !== undefined ? { 'content-type': 'application/json' } : {}),
          },
        },
        (resp) => {
          const chunks: Buffer[] = [];
          resp.on('data', (c: Buffer) => chunks.push(c));
          resp.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown>;
            try {
              parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              parsed = { text };
            }
            res({ status: resp.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('error', rej);
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.end(data);
    });
  const ok = async (method: string, path: string, body?: unknown, token?: string) => {
    const r = await request(method, path, body, token);
    if (r.status < 200 || r.status > 299) {
      throw new Error(
        `${method} ${path}: HTTP ${r.status} ${String(r.body.message ?? JSON.stringify(r.body))}`,
      );
    }
    return r.body;
  };
  return {
    url,
    ca: env.KUBE_CA!,
    caKey: env.KUBE_CA_KEY!,
    caPem,
    adminToken,
    lowprivToken: env.KUBE_LOWPRIV_TOKEN!,
    adminKubeconfig: env.KUBE_ADMIN_KUBECONFIG!,
    lowprivKubeconfig: env.KUBE_LOWPRIV_KUBECONFIG!,
    auditLog: env.KUBE_AUDIT_LOG!,
    stateDir: dir,
    etcdUrl: env.KUBE_ETCD_URL!,
    pids,
    request,
    ok,
  };
}

/** Polls `check` every 200 ms until it returns a value other than undefined, or throws after `ms`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${ms} ms`);
    await sleep(200);
  }
}

/** Stops the servers started in `dir` by their recorded PIDs (test/support/kube/stop.sh) and removes the dir. */
export async function stopKube(dir: string): Promise<void> {
  if (existsSync(join(dir, 'kube-apiserver.pid')) || existsSync(join(dir, 'etcd.pid'))) {
    const r = await run('bash', [join(SCRIPTS, 'stop.sh'), dir, '--clean'], process.env);
    if (r.code !== 0) throw new Error(`test/support/kube/stop.sh ${dir} failed:\n${r.out}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

function stopKubeSync(dir: string): void {
  if (existsSync(join(dir, 'kube-apiserver.pid')) || existsSync(join(dir, 'etcd.pid'))) {
    // process 'exit' handlers cannot wait: stop.sh runs to completion synchronously
    execFileSync('bash', [join(SCRIPTS, 'stop.sh'), dir, '--clean'], { stdio: 'ignore' });
  }
  rmSync(dir, { recursive: true, force: true });
}
