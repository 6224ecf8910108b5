import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';
import { eventually, type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';
import { makeTestCerts } from '../support/tls.js';

/**
 * A stand-in kubelet on 127.0.0.1: answers the API server's exec/attach/portforward upgrade with
 * 101 and hangs up, so those requests succeed end to end (the API server proxies them to the
 * node's kubelet; with none, it answers 400 "does not have a host assigned" and nothing is
 * audited as a success). The API server does not check the kubelet's certificate here (no
 * --kubelet-certificate-authority), so a self-made one does.
 */
async function fakeKubelet(dir: string): Promise<{ port: number; paths: string[]; close(): void }> {
  makeTestCerts(dir, {
    ca: '/CN=strata-fake-kubelet-ca',
    server: {
      subject: '/CN=127.0.0.1',
      extensions: 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth',
    },
    client: { subject: '/CN=unused' },
  });
  const paths: string[] = [];
  const server = https.createServer(
    { cert: readFileSync(join(dir, 'server.pem')), key: readFileSync(join(dir, 'server.key')) },
    (_req, res) => {
      res.writeHead(404);
      res.end();
    },
  );
  server.on('upgrade', (req, socket) => {
    paths.push(req.url ?? '');
    const proto = String(req.headers['x-stream-protocol-version'] ?? '')
      .split(',')[0]
      ?.trim();
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${req.headers.upgrade}\r\n${proto ? `X-Stream-Protocol-Version: ${proto}\r\n` : ''}\r\n`,
    );
    setTimeout(() => socket.destroy(), 200);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    paths,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** An upgrade request (kubectl exec/attach/port-forward's SPDY handshake) to the API server: its status. */
function upgrade(kube: KubeApiServer, path: string, protocol: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${kube.url}${path}`, {
      method: 'POST',
      ca: kube.caPem,
      headers: {
        authorization: `Bearer ${kube.adminToken}`,
        connection: 'Upgrade',
        upgrade: 'SPDY/3.1',
        'x-stream-protocol-version': protocol,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A JSON merge patch as admin (the shared helper sends application/json, which PATCH refuses). */
function mergePatch(kube: KubeApiServer, path: string, body: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${kube.url}${path}`, {
      method: 'PATCH',
      ca: kube.caPem,
      headers: { authorization: `Bearer ${kube.adminToken}`, 'content-type': 'application/merge-patch+json' },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve()
          : reject(new Error(`PATCH ${path}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString()}`)),
      );
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A request with no credentials at all (the API server's anonymous authentication). */
function anonymous(kube: KubeApiServer, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(`${kube.url}${path}`, { ca: kube.caPem }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

/**
 * `strata audit` on the REAL kube-apiserver's audit log (--audit-log-path, JSON, RequestResponse
 * policy): actions of the built-in rules done through the API are each detected exactly once. The log
 * is shared with other suites, so only findings about this run's uniquely named objects are counted.
 */
const skip = kubeSkipReason('audit-kube');

describe.skipIf(skip)('strata audit on a real API server audit log', () => {
  let kube: KubeApiServer;
  const ns = `strata-audit-${randomBytes(4).toString('hex')}`;
  /** the service account that reads a Secret of `ns` lives here */
  const other = `${ns}-other`;
  const node = `${ns}-node`;
  const work = mkdtempSync(join(tmpdir(), 'strata-audit-kube-'));
  let kubelet: Awaited<ReturnType<typeof fakeKubelet>> | undefined;
  const statuses: Record<string, number> = {};
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  const admissionApi = '/apis/admissionregistration.k8s.io/v1';
  const webhook = (kind: string, name: string) => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name },
    // a webhook for a resource that does not exist, ignored on failure: harmless on the shared server
    webhooks: [
      {
        name: 'never.strata.test',
        clientConfig: { url: 'https://127.0.0.1:1/never' },
        rules: [
          {
            operations: ['CREATE'],
            apiGroups: ['strata.test'],
            apiVersions: ['v1'],
            resources: ['nothings'],
          },
        ],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        failurePolicy: 'Ignore',
      },
    ],
  });
  const logHas = (text: string) =>
    eventually(`"${text}" in the audit log`, async () =>
      readFileSync(kube.auditLog, 'utf8').includes(text) ? true : undefined,
    );
  afterAll(() => {
    kubelet?.close();
    rmSync(work, { recursive: true, force: true });
  });
  const pod = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec },
  });

  beforeAll(async () => {
    kube = await kubeApiServer();
    await kube.ok('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
    await kube.ok(
      'POST',
      `/api/v1/namespaces/${ns}/pods`,
      pod('priv', {
        containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { privileged: true } }],
      }),
    );
    await kube.ok('POST', `/api/v1/namespaces/${ns}/pods`, pod('hostnet', { hostNetwork: true }));
    await kube.ok('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'User', name: 'mallory', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    await kube.ok('POST', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    await kube.ok('DELETE', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/deny`);
    await logHas(`/networkpolicies/deny","verb":"delete"`);

    // NetworkPolicy widened: a deny-all patched to allow all ingress, and one created open to 0.0.0.0/0
    const netpols = `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`;
    await kube.ok('POST', netpols, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'widened', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    await mergePatch(kube, `${netpols}/widened`, { spec: { ingress: [{}] } });
    await kube.ok('POST', netpols, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'world', namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      },
    });

    // a Secret of ns read by a service account of another namespace (bound through a RoleBinding in ns)
    await kube.ok('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: other },
    });
    await kube.ok('POST', `/api/v1/namespaces/${other}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'reader', namespace: other },
    });
    await kube.ok('POST', `/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: ns },
      stringData: { user: 'app' },
    });
    await kube.ok('POST', `${rbac}/namespaces/${ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'secret-reader', namespace: ns },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    });
    await kube.ok('POST', `${rbac}/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'secret-reader', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: other }],
    });
    const token = (await kube.ok('POST', `/api/v1/namespaces/${other}/serviceaccounts/reader/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 600 },
    })) as { status: { token: string } };
    await eventually('the service account can read the secret', async () =>
      (await kube.request('GET', `/api/v1/namespaces/${ns}/secrets/db`, undefined, token.status.token))
        .status === 200
        ? true
        : undefined,
    );

    // admission webhook configurations created, changed and deleted
    for (const [kind, plural, name] of [
      ['ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', `${ns}-v`],
      ['MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', `${ns}-m`],
    ] as const) {
      await kube.ok('POST', `${admissionApi}/${plural}`, webhook(kind, name));
      await mergePatch(kube, `${admissionApi}/${plural}/${name}`, {
        metadata: { labels: { changed: 'yes' } },
      });
      await kube.ok('DELETE', `${admissionApi}/${plural}/${name}`);
    }

    // system:anonymous granted reading ConfigMaps of ns, then an unauthenticated read that succeeds
    await kube.ok('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'public', namespace: ns },
      data: { motd: 'hello' },
    });
    await kube.ok('POST', `${rbac}/namespaces/${ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'cm-reader', namespace: ns },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    });
    statuses.anonymousBefore = await anonymous(kube, `/api/v1/namespaces/${ns}/configmaps/public`);
    await kube.ok('POST', `${rbac}/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'anonymous-cm', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
      subjects: [{ kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    statuses.anonymous = await eventually('the anonymous read allowed', async () => {
      const code = await anonymous(kube, `/api/v1/namespaces/${ns}/configmaps/public`);
      return code === 200 ? code : undefined;
    });
    await kube.ok('DELETE', `${rbac}/namespaces/${ns}/rolebindings/anonymous-cm`);

    // exec, attach and port-forward: into an unscheduled pod (400, no host), then into a pod on a
    // Node whose kubelet is the stand-in above (101)
    statuses.execUnscheduled = await upgrade(
      kube,
      `/api/v1/namespaces/${ns}/pods/priv/exec?command=sh&stdout=true`,
      'v4.channel.k8s.io',
    );
    kubelet = await fakeKubelet(work);
    await kube.ok('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: node } });
    await mergePatch(kube, `/api/v1/nodes/${node}/status`, {
      status: {
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
      },
    });
    await kube.ok('POST', `/api/v1/namespaces/${ns}/pods`, pod('shell', { nodeName: node }));
    const pods = `/api/v1/namespaces/${ns}/pods/shell`;
    statuses.exec = await upgrade(
      kube,
      `${pods}/exec?command=sh&container=c&stdin=true&stdout=true`,
      'v4.channel.k8s.io',
    );
    statuses.attach = await upgrade(kube, `${pods}/attach?container=c&stdout=true`, 'v4.channel.k8s.io');
    statuses.portforward = await upgrade(kube, `${pods}/portforward?ports=8080`, 'portforward.k8s.io');
    // an upgraded request is audited (ResponseComplete) once its connection ends
    await eventually('the three upgrades complete in the audit log', async () => {
      const done = readFileSync(kube.auditLog, 'utf8')
        .split('\n')
        .filter((l) => l.includes(`/pods/shell/`) && l.includes('"stage":"ResponseComplete"'));
      return done.length >= 3 ? true : undefined;
    });
    await kube.ok('DELETE', `/api/v1/nodes/${node}`);
  }, 180_000);

  it('the actions reached the API server as intended', () => {
    expect(statuses).toEqual({
      anonymousBefore: 403,
      anonymous: 200,
      execUnscheduled: 400,
      exec: 101,
      attach: 101,
      portforward: 101,
    });
    expect(kubelet?.paths.map((p) => p.split('?')[0])).toEqual([
      `/exec/${ns}/shell/c`,
      `/attach/${ns}/shell/c`,
      `/portForward/${ns}/shell`,
    ]);
  });

  it('detects each action once', async () => {
    const r = await strata(['audit', kube.auditLog, '-f', 'json', '-q'], {
      heapMiB: 512,
      timeoutMs: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    type Found = {
      id: string;
      location: { resource?: string };
      evidence: { verb?: string; resource?: string };
    };
    const mine = (JSON.parse(r.stdout).findings as Found[])
      .filter((f) => f.location.resource?.includes(ns))
      .map((f) => `${f.id}: ${f.evidence.verb} ${f.evidence.resource} ${f.location.resource}`)
      .sort();
    expect(mine).toEqual(
      [
        `Strata Binding to cluster-admin: create clusterrolebindings clusterrolebindings/${ns}`,
        `Strata Host Namespace Pod: create pods pods/${ns}/hostnet`,
        `Strata NetworkPolicy Deleted: delete networkpolicies networkpolicies/${ns}/deny`,
        `Strata Privileged Pod: create pods pods/${ns}/priv`,
        `Strata NetworkPolicy Allows All: patch networkpolicies networkpolicies/${ns}/widened`,
        `Strata NetworkPolicy Allows All: create networkpolicies networkpolicies/${ns}/world`,
        `Strata Secret Read by a Service Account of Another Namespace: get secrets secrets/${ns}/db`,
        `Strata Admission Webhook Changed: create validatingwebhookconfigurations validatingwebhookconfigurations/${ns}-v`,
        `Strata Admission Webhook Changed: patch validatingwebhookconfigurations validatingwebhookconfigurations/${ns}-v`,
        `Strata Admission Webhook Deleted: delete validatingwebhookconfigurations validatingwebhookconfigurations/${ns}-v`,
        `Strata Admission Webhook Changed: create mutatingwebhookconfigurations mutatingwebhookconfigurations/${ns}-m`,
        `Strata Admission Webhook Changed: patch mutatingwebhookconfigurations mutatingwebhookconfigurations/${ns}-m`,
        `Strata Admission Webhook Deleted: delete mutatingwebhookconfigurations mutatingwebhookconfigurations/${ns}-m`,
        `Strata Binding to Anonymous: create rolebindings rolebindings/${ns}/anonymous-cm`,
        `Strata Anonymous Request Succeeded: get configmaps configmaps/${ns}/public`,
        `Strata Pod Exec or Attach: create pods/exec pods/${ns}/shell`,
        `Strata Pod Exec or Attach: create pods/attach pods/${ns}/shell`,
        `Strata Pod Port-Forward: create pods/portforward pods/${ns}/shell`,
      ].sort(),
    );
  }, 180_000);
});
