import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditActions,
  alertLine,
  EXPECTED_STATUSES,
  performAuditActions,
} from '../support/audit-actions.js';
import { CLI } from '../support/cli.js';
import { eventually, type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';
import { freePort } from '../support/registry.js';
import { makeTestCerts } from '../support/tls.js';
import { statuses, type WebhookReceiver, webhookReceiver } from '../support/webhook-receiver.js';

/**
 * `strata audit serve` as the REAL kube-apiserver's audit webhook backend: a second API server on
 * the shared etcd (the shared one's command line, plus `--audit-webhook-config-file` pointing at
 * Strata) takes the actions of test/support/audit-actions.ts; each is detected once from the batches it
 * POSTs, and each alert is forwarded once (`--forward`) to a local receiver.
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
  let actions: AuditActions;
  let receiver: WebhookReceiver;
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
    receiver = await webhookReceiver(statuses(200));
    mkdirSync(join(work, 'kubelet'));
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
        '--forward',
        `${receiver.url}/alerts`,
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
    actions = await performAuditActions(
      { url: api, caPem: kube.caPem, adminToken: kube.adminToken, auditLog: join(work, 'audit.log') },
      ns,
      join(work, 'kubelet'),
    );
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
    actions?.close();
    await receiver?.close();
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('the actions reached the second API server as intended', () => {
    expect(actions.statuses).toEqual(EXPECTED_STATUSES);
  });

  it('detects each action once from the webhook batches, and forwards each alert once', async () => {
    const mine = () =>
      out
        .split('\n')
        .filter((l) => l.includes(ns))
        .map((l) => JSON.parse(l) as Parameters<typeof alertLine>[0])
        .filter((f) => f.location.resource?.includes(ns))
        .map(alertLine)
        .sort();
    await eventually(
      'every alert',
      async () => (mine().length >= actions.expected.length ? true : undefined),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 2500)); // one more batch period: nothing repeated
    expect(mine()).toEqual(actions.expected);
    const forwarded = () =>
      receiver.seen
        .map((s) => (s.body.findings as Parameters<typeof alertLine>[0][])[0])
        .filter((f): f is Parameters<typeof alertLine>[0] => !!f?.location.resource?.includes(ns))
        .map(alertLine)
        .sort();
    await eventually('every alert forwarded', async () =>
      forwarded().length >= actions.expected.length ? true : undefined,
    );
    expect(forwarded()).toEqual(actions.expected);
    const keys = receiver.seen.map((s) => s.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
  }, 60_000);
});
