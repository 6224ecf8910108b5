import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts Debian's docker-registry (distribution 2.8) on 127.0.0.1 for one test file. */
export interface StartRegistryOptions {
  /** htpasswd (bcrypt) Basic auth with this one user */
  readonly auth?: { readonly username: string; readonly password: string };
  /** serve TLS with a fresh self-signed certificate for 127.0.0.1 */
  readonly tls?: boolean;
}

export interface RunningRegistry {
  /** `http://127.0.0.1:PORT` or `https://...` */
  readonly url: string;
  /** `127.0.0.1:PORT`, the registry part of an image reference */
  readonly host: string;
  /** the storage root (tests corrupt blobs here) */
  readonly storage: string;
  /** the self-signed certificate (PEM file), with `tls` */
  readonly caFile?: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function configYaml(dir: string, port: number, opts: StartRegistryOptions): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: strata-test-secret',
  ];
  if (opts.tls) {
    lines.push('  tls:', `    certificate: ${join(dir, 'cert.pem')}`, `    key: ${join(dir, 'key.pem')}`);
  }
  if (opts.auth) {
    lines.push('auth:', '  htpasswd:', '    realm: strata-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  return `${lines.join('\n')}\n`;
}

function probe(url: string, ca: Buffer | undefined): Promise<number> {
  return new Promise((resolve) => {
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(`${url}/v2/`, { ...(ca ? { ca } : {}), timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
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

export async function startRegistry(opts: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-registry-'));
  const port = await freePort();
  if (opts.auth) {
    const line = execFileSync('htpasswd', ['-Bbn', opts.auth.username, opts.auth.password], { encoding: 'utf8' });
    writeFileSync(join(dir, 'htpasswd'), line);
  }
  let ca: Buffer | undefined;
  if (opts.tls) {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    ca = readFileSync(join(dir, 'cert.pem'));
  }
  const cfg = join(dir, 'config.yml');
  writeFileSync(cfg, configYaml(dir, port, opts));
  const child = spawn('/usr/bin/docker-registry', ['serve', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      process.kill(child.pid, 'SIGTERM');
      if (!(await waitExit(child, 5000))) process.kill(child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (true) {
    const status = await probe(url, ca);
    if (status === 200 || status === 401) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start on ${url}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    host: `127.0.0.1:${port}`,
    storage: join(dir, 'storage'),
    ...(opts.tls ? { caFile: join(dir, 'cert.pem') } : {}),
    stop,
  };
}
