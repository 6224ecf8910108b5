import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './registry.js';
import { makeTestCerts } from './tls.js';

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
    makeTestCerts(dir, {
      ca: '/CN=strata-test-etcd-ca',
      server: {
        subject: '/CN=127.0.0.1',
        extensions: 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth',
      },
      client: { subject: '/CN=strata-test-client' },
    });
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
