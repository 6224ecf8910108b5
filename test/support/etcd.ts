import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './registry.js';

/** Starts Debian's etcd (3.4) on 127.0.0.1 with a temporary data dir, for one test file. */
export interface StartEtcdOptions {
  /** serve the client port over TLS; with `clientCertAuth`, etcd refuses clients without a certificate signed by the test CA */
  readonly tls?: { readonly clientCertAuth: boolean };
}

export interface RunningEtcd {
  /** `http://127.0.0.1:PORT` or `https://...` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /**
   * A v3 JSON-gateway call made as a legitimate client (with the test client certificate under
   * TLS): the test's own writes and reads, never the code under test.
   */
  gateway(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all made with openssl. */
function makeCerts(dir: string): void {
  const p = (f: string) => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=strata-test-etcd-ca',
  ]);
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  writeFileSync(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subj] of [
    ['server', '/CN=127.0.0.1'],
    ['client', '/CN=strata-test-client'],
  ] as const) {
    openssl(['req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', subj]);
    openssl([
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p(`${name}.pem`),
      '-days',
      '1',
      '-extfile',
      p(`${name}.ext`),
    ]);
  }
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

export async function startEtcd(opts: StartEtcdOptions = {}): Promise<RunningEtcd> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-etcd-'));
  const [port, peerPort] = [await freePort(), await freePort()];
  const scheme = opts.tls ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${port}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name',
    'strata-test',
    '--data-dir',
    join(dir, 'data'),
    '--listen-client-urls',
    url,
    '--advertise-client-urls',
    url,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    '--initial-cluster',
    `strata-test=${peer}`,
    '--log-level',
    'error',
    '--logger',
    'zap',
  ];
  let tlsOptions: https.RequestOptions = {};
  if (opts.tls) {
    makeCerts(dir);
    args.push('--cert-file', join(dir, 'server.pem'), '--key-file', join(dir, 'server.key'));
    if (opts.tls.clientCertAuth) args.push('--client-cert-auth', '--trusted-ca-file', join(dir, 'ca.pem'));
    tlsOptions = {
      ca: readFileSync(join(dir, 'ca.pem')),
      cert: readFileSync(join(dir, 'client.pem')),
      key: readFileSync(join(dir, 'client.key')),
    };
  }
  const child = spawn('/usr/bin/etcd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const gateway = (path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const data = JSON.stringify(body);
      const lib = opts.tls ? https : http;
      const req = lib.request(
        `${url}${path}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          timeout: 5000,
          agent: false,
          ...tlsOptions,
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
          });
          res.on('end', () => {
            try {
              resolve(JSON.parse(text) as Record<string, unknown>);
            } catch (err) {
              reject(new Error(`etcd ${path}: ${res.statusCode} ${text}`, { cause: err }));
            }
          });
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('etcd gateway timed out')));
      req.end(data);
    });
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      process.kill(child.pid, 'SIGTERM');
      if (!(await waitExit(child, 5000))) process.kill(child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (true) {
    try {
      const status = await gateway('/v3/maintenance/status', {});
      if (status.header) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`etcd did not start on ${url}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { url, host: `127.0.0.1:${port}`, port, gateway, stop };
}
