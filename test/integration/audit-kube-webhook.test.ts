import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { eventually, type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';
import { freePort } from '../support/registry.js';
import { makeTestCerts } from '../support/tls.js';

/**
 * `strata audit serve` as the REAL kube-apiserver's audit webhook backend: a second API server on
 * the shared etcd (the shared one's command line, plus `--audit-webhook-config-file` pointing at
 * Strata) takes the actions; each is detected once from the batches it POSTs.
 */
const skip = kubeSkipReason('audit-kube-webhook');
const work = mkdtempSync(join(tmpdir(), 'strata-audit-webhook-'));
const children: ChildProcess[] = [];
let out = '';

function started(child: ChildProcess, what: string, ready: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 90_000;
    const tick = () => {
      if (ready()) return resolve();
      if (child.exitCode !== null || Date.now() > deadline) return reject(new Error(`${what} did not start`));
      setTimeout(tick, 200);
    };
    tick();
  });
}

describe.skipIf(skip)('strata audit serve behind the real kube-apiserver', () => {
  let kube: KubeApiServer;
  let api: string;
  const ns = `strata-auditwh-${randomBytes(4).toString('hex')}`;
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        `${api}${path}`,
        {
          method,
          ca: kube.caPem,
          agent: false,
          headers: { authorization: `Bearer ${kube.adminToken}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  beforeAll(async () => {
    kube = await kubeApiServer();
    const certs = join(work, 'certs');
    mkdirSync(certs);
    makeTestCerts(certs, {
      ca: '/CN=strata-audit-webhook-ca',
      server: {
        subject: '/CN=127.0.0.1',
        extensions: 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth',
      },
      client: { subject: '/CN=kube-apiserver' },
    });
    const port = await freePort();
    const serve = spawn(
      process.execPath,
      [
        CLI,
        'audit',
        'serve',
        '--tls-cert',
        join(certs, 'server.pem'),
        '--tls-key',
        join(certs, 'server.key'),
        '--port',
        String(port),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(serve);
    let err = '';
    serve.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    serve.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    await started(serve, 'strata audit serve', () => err.includes('listening on'));
    const webhookConfig = join(work, 'audit-webhook.kubeconfig');
    writeFileSync(
      webhookConfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'strata',
            cluster: {
              server: `https://127.0.0.1:${port}/audit`,
              'certificate-authority': join(certs, 'ca.pem'),
            },
          },
        ],
        users: [{ name: 'apiserver', user: {} }],
        contexts: [{ name: 'strata', context: { cluster: 'strata', user: 'apiserver' } }],
        'current-context': 'strata',
      }),
    );
    const apiPort = await freePort();
    api = `https://127.0.0.1:${apiPort}`;
    const cmdline = readFileSync(join(kube.stateDir, 'kube-apiserver.cmdline'), 'utf8').trim();
    const apiserver = spawn(
      'bash',
      [
        '-c',
        `exec ${cmdline} >${join(work, 'api.log')} 2>&1 --secure-port=${apiPort} --audit-log-path=${join(work, 'audit.log')} --audit-webhook-config-file=${webhookConfig} --audit-webhook-batch-max-wait=1s`,
      ],
      { cwd: kube.stateDir, stdio: ['ignore', 'ignore', 'ignore'] },
    );
    children.push(apiserver);
    await eventually(
      'the second API server ready',
      async () => ((await call('GET', '/readyz').catch(() => 0)) === 200 ? true : undefined),
      90_000,
    );
    expect(
      await call('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      }),
    ).toBe(201);
    expect(
      await call('POST', `/api/v1/namespaces/${ns}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'priv', namespace: ns },
        spec: { containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { privileged: true } }] },
      }),
    ).toBe(201);
    expect(
      await call('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'User', name: 'mallory', apiGroup: 'rbac.authorization.k8s.io' }],
      }),
    ).toBe(201);
  }, 180_000);

  afterAll(async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(hard);
    }
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('detects each action once from the webhook batches', async () => {
    const mine = () =>
      out
        .split('\n')
        .filter((l) => l.includes(ns))
        .map((l) => JSON.parse(l) as { id: string; location: { resource?: string } })
        .filter((f) => f.location.resource?.includes(ns))
        .map((f) => `${f.id} ${f.location.resource}`)
        .sort();
    await eventually('both alerts', async () => (mine().length >= 2 ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 2500)); // one more batch period: nothing repeated
    expect(mine()).toEqual([
      `Strata Binding to cluster-admin clusterrolebindings/${ns}`,
      `Strata Privileged Pod pods/${ns}/priv`,
    ]);
  }, 60_000);
});
