import { type ChildProcess, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { run } from './exec.js';
import { freePort } from './registry.js';
import { makeTestCerts } from './tls.js';

/**
 * Real container engines for one test file, each in its own temporary state (vfs storage, no
 * networking), so nothing on the host is touched: Docker's dockerd, `podman system service`,
 * and containerd. `env` points Strata at this engine only; the other engines' variables point at
 * a socket that does not exist, so a daemon that happens to run on the host never answers.
 */
export interface RunningEngine {
  readonly name: 'docker' | 'podman' | 'containerd';
  readonly socket: string;
  /** DOCKER_HOST / CONTAINER_HOST / CONTAINERD_ADDRESS for this engine, the others absent */
  readonly env: NodeJS.ProcessEnv;
  /** loads a docker-archive (`docker load`, `podman load`, `ctr images import`) */
  load(archive: string, namespace?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface RunningDockerd extends RunningEngine {
  /** the unauthenticated TCP listener, `127.0.0.1:PORT` */
  readonly tcp: string;
}

/** A socket path no daemon listens on (for the engines a test does not want). */
export function absentSocket(dir: string): string {
  return join(dir, 'absent.sock');
}

/** Strata's engine variables with every engine absent, then `overrides`. */
export function engineEnv(dir: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const none = absentSocket(dir);
  return {
    DOCKER_HOST: `unix://${none}`,
    CONTAINER_HOST: `unix://${none}`,
    CONTAINERD_ADDRESS: none,
    CONTAINERD_NAMESPACE: '',
    ...overrides,
  };
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** `GET /_ping` over the Engine API socket: true once the daemon answers OK. */
function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

async function waitReady(
  what: string,
  child: ChildProcess,
  log: string,
  ready: () => Promise<boolean>,
  stop: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await ready())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-3000) : '';
      await stop();
      throw new Error(`${what} did not start: ${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts a daemon with its output in DIR/log; stop() ends it by its pid and removes DIR. */
function daemon(dir: string, cmd: string, args: readonly string[]) {
  const log = join(dir, 'log');
  const out = openSync(log, 'a');
  const child = spawn(cmd, [...args], { stdio: ['ignore', out, out] });
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGTERM');
      if (!(await waitExit(child, 20_000))) process.kill(child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, log, stop };
}

/**
 * dockerd on a unix socket and on 127.0.0.1:PORT, vfs storage, no networking. The TCP listener
 * is plain and unauthenticated, or with `tls` requires a client certificate from a test CA
 * (`--tlsverify`); `env` then reaches it over TCP with the docker CLI's DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem).
 */
export async function startDockerd(opts: { tls?: boolean } = {}): Promise<RunningDockerd> {
  const dir = mkdtempSync('/tmp/strata-dockerd-');
  const socket = join(dir, 'docker.sock');
  const port = await freePort();
  const certs = join(dir, 'certs');
  const tlsArgs: string[] = [];
  if (opts.tls) {
    mkdirSync(certs);
    makeTestCerts(dir, {
      ca: '/CN=strata-test-docker-ca',
      server: {
        subject: '/CN=127.0.0.1',
        extensions: 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth',
      },
      client: { subject: '/CN=strata-test-client' },
    });
    copyFileSync(join(dir, 'ca.pem'), join(certs, 'ca.pem'));
    copyFileSync(join(dir, 'client.pem'), join(certs, 'cert.pem'));
    copyFileSync(join(dir, 'client.key'), join(certs, 'key.pem'));
    tlsArgs.push(
      '--tlsverify',
      '--tlscacert',
      join(dir, 'ca.pem'),
      '--tlscert',
      join(dir, 'server.pem'),
      '--tlskey',
      join(dir, 'server.key'),
    );
  }
  const { child, log, stop } = daemon(dir, 'dockerd', [
    ...tlsArgs,
    '--data-root',
    join(dir, 'data'),
    '--exec-root',
    join(dir, 'exec'),
    '--pidfile',
    join(dir, 'docker.pid'),
    '-H',
    `unix://${socket}`,
    '-H',
    `tcp://127.0.0.1:${port}`,
    '--storage-driver',
    'vfs',
    '--iptables=false',
    '--ip6tables=false',
    '--bridge=none',
  ]);
  await waitReady('dockerd', child, log, () => ping(socket), stop);
  return {
    name: 'docker',
    socket,
    tcp: `127.0.0.1:${port}`,
    env: opts.tls
      ? engineEnv(dir, {
          DOCKER_HOST: `tcp://127.0.0.1:${port}`,
          DOCKER_TLS_VERIFY: '1',
          DOCKER_CERT_PATH: certs,
        })
      : engineEnv(dir, { DOCKER_HOST: `unix://${socket}` }),
    async load(archive) {
      await run('docker', ['-H', `unix://${socket}`, 'load', '-q', '-i', archive]);
    },
    stop,
  };
}

/** `podman system service` on a unix socket, with its own root/runroot and vfs storage. */
export async function startPodman(): Promise<RunningEngine> {
  const dir = mkdtempSync('/tmp/strata-podman-');
  const socket = join(dir, 'podman.sock');
  const global = [
    '--root',
    join(dir, 'root'),
    '--runroot',
    join(dir, 'run'),
    '--tmpdir',
    join(dir, 'tmp'),
    '--storage-driver',
    'vfs',
    '--events-backend',
    'file',
    '--cgroup-manager',
    'cgroupfs',
  ];
  const { child, log, stop } = daemon(dir, 'podman', [
    ...global,
    'system',
    'service',
    '--time=0',
    `unix://${socket}`,
  ]);
  await waitReady('podman system service', child, log, () => ping(socket), stop);
  return {
    name: 'podman',
    socket,
    env: engineEnv(dir, { CONTAINER_HOST: `unix://${socket}` }),
    async load(archive) {
      await run('podman', [...global, 'load', '-q', '-i', archive]);
    },
    stop,
  };
}

/** containerd with its own root, state and socket (the CRI plugin off: no Kubernetes here). */
export async function startContainerd(): Promise<RunningEngine> {
  const dir = mkdtempSync('/tmp/strata-containerd-');
  const socket = join(dir, 'containerd.sock');
  const config = join(dir, 'config.toml');
  writeFileSync(
    config,
    [
      'version = 2',
      `root = "${join(dir, 'root')}"`,
      `state = "${join(dir, 'state')}"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]',
      `  address = "${socket}"`,
      '[ttrpc]',
      `  address = "${socket}.ttrpc"`,
      '[debug]',
      `  address = "${join(dir, 'debug.sock')}"`,
      '[plugins."io.containerd.internal.v1.opt"]',
      `  path = "${join(dir, 'opt')}"`,
      '',
    ].join('\n'),
  );
  const { child, log, stop } = daemon(dir, 'containerd', ['--config', config]);
  const ready = async () => {
    if (!existsSync(socket)) return false;
    try {
      await run('ctr', ['-a', socket, 'version']);
      return true;
    } catch {
      return false;
    }
  };
  await waitReady('containerd', child, log, ready, stop);
  return {
    name: 'containerd',
    socket,
    env: engineEnv(dir, { CONTAINERD_ADDRESS: socket }),
    async load(archive, namespace = 'default') {
      await run('ctr', ['-a', socket, '-n', namespace, 'images', 'import', archive]);
    },
    stop,
  };
}

/** The manifest digest containerd recorded for an image (`ctr images ls`). */
export async function containerdDigest(
  engine: RunningEngine,
  namespace: string,
  name: string,
): Promise<string> {
  const out = await run('ctr', ['-a', engine.socket, '-n', namespace, 'images', 'ls']);
  const line = out.split('\n').find((l) => l.split(/\s+/)[0] === name);
  const digest = line?.split(/\s+/).find((f) => f.startsWith('sha256:'));
  if (!digest) throw new Error(`ctr lists no ${name} in ${namespace}:\n${out}`);
  return digest;
}
