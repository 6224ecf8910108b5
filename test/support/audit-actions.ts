import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { eventually } from './kube-apiserver.js';
import { makeTestCerts } from './tls.js';

/**
 * The actions of Strata's built-in audit rules, done for real against a kube-apiserver (the shared
 * one, or the audit-webhook test's second one on the same etcd), and the alerts `strata audit`
 * must raise for them, each exactly once. Everything is named after `ns`, so the shared audit log's
 * other traffic is told apart; nothing is left that changes the server for other suites.
 */
export interface ApiTarget {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  readonly caPem: string;
  readonly adminToken: string;
  /** the server's --audit-log-path: upgraded requests are audited once their connection ends */
  readonly auditLog: string;
}

export interface AuditActions {
  /** what the API server answered to the requests whose status matters */
  readonly statuses: Readonly<Record<string, number>>;
  /** the paths the stand-in kubelet was asked for */
  readonly kubeletPaths: readonly string[];
  /** `RULE: VERB RESOURCE LOCATION` of each alert, sorted */
  readonly expected: readonly string[];
  close(): void;
}

/** The statuses a correct run gets (the near-misses: 403 before the anonymous binding, 400 with no node). */
export const EXPECTED_STATUSES = {
  anonymousBefore: 403,
  anonymous: 200,
  execUnscheduled: 400,
  exec: 101,
  attach: 101,
  portforward: 101,
};

/** One alert as the lists compare it. */
export function alertLine(f: {
  id: string;
  location: { resource?: string };
  evidence: { verb?: string; resource?: string };
}): string {
  return `${f.id}: ${f.evidence.verb} ${f.evidence.resource} ${f.location.resource}`;
}

type Call = (
  method: string,
  path: string,
  body?: unknown,
  opts?: { token?: string | null; type?: string; upgrade?: string },
) => Promise<{ status: number; body: Record<string, unknown> }>;

function client(t: ApiTarget): Call {
  return (method, path, body, opts = {}) =>
    new Promise((resolve, reject) => {
      const token = opts.token === undefined ? t.adminToken : opts.token;
      const req = https.request(`${t.url}${path}`, {
        method,
        ca: t.caPem,
        agent: false,
        headers: {
          ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': opts.type ?? 'application/json' } : {}),
          ...(opts.upgrade
            ? { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': opts.upgrade }
            : {}),
        },
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, body: {} });
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown>;
          try {
            parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

/**
 * A stand-in kubelet on 127.0.0.1: answers the API server's exec/attach/portforward upgrade with
 * 101 and hangs up, so those requests succeed end to end (the API server proxies them to the
 * pod's node's kubelet; with no node it answers 400 "does not have a host assigned", audited as
 * a failure). The API server does not check the kubelet's certificate (no
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

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const ADMISSION = '/apis/admissionregistration.k8s.io/v1';
const NETWORKING = '/apis/networking.k8s.io/v1';
const MERGE = { type: 'application/merge-patch+json' };

/** Performs every action (in `ns`, `NS-other` and cluster objects named after ns); `dir` takes the kubelet's certs. */
export async function performAuditActions(t: ApiTarget, ns: string, dir: string): Promise<AuditActions> {
  const raw = client(t);
  const ok: Call = async (method, path, body, opts) => {
    const r = await raw(method, path, body, opts);
    if (r.status < 200 || r.status > 299)
      throw new Error(
        `${method} ${path}: HTTP ${r.status} ${String(r.body.message ?? JSON.stringify(r.body))}`,
      );
    return r;
  };
  const other = `${ns}-other`;
  const node = `${ns}-node`;
  const statuses: Record<string, number> = {};
  const pod = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec },
  });
  const rbacObject = (kind: string, name: string, rest: Record<string, unknown>) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, namespace: ns },
    ...rest,
  });
  const inLog = (what: string, test: (lines: string[]) => boolean) =>
    eventually(what, async () => (test(readFileSync(t.auditLog, 'utf8').split('\n')) ? true : undefined));

  // pods with privileges, and a cluster-admin binding
  await ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await ok(
    'POST',
    `/api/v1/namespaces/${ns}/pods`,
    pod('priv', {
      containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { privileged: true } }],
    }),
  );
  await ok('POST', `/api/v1/namespaces/${ns}/pods`, pod('hostnet', { hostNetwork: true }));
  await ok('POST', `${RBAC}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'User', name: 'mallory', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  await ok('DELETE', `${RBAC}/clusterrolebindings/${ns}`);

  // NetworkPolicies: one deleted, one widened from deny-all to allow-all, one created open to 0.0.0.0/0
  const netpols = `${NETWORKING}/namespaces/${ns}/networkpolicies`;
  const denyAll = (name: string) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
  await ok('POST', netpols, denyAll('deny'));
  await ok('DELETE', `${netpols}/deny`);
  await ok('POST', netpols, denyAll('widened'));
  await ok('PATCH', `${netpols}/widened`, { spec: { ingress: [{}] } }, MERGE);
  await ok('POST', netpols, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'world', namespace: ns },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
    },
  });

  // a Secret of ns read by a service account of another namespace (bound by a RoleBinding in ns)
  await ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: other } });
  await ok('POST', `/api/v1/namespaces/${other}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'reader', namespace: other },
  });
  await ok('POST', `/api/v1/namespaces/${ns}/secrets`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: ns },
    stringData: { user: 'app' },
  });
  await ok(
    'POST',
    `${RBAC}/namespaces/${ns}/roles`,
    rbacObject('Role', 'secret-reader', {
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    }),
  );
  await ok(
    'POST',
    `${RBAC}/namespaces/${ns}/rolebindings`,
    rbacObject('RoleBinding', 'secret-reader', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: other }],
    }),
  );
  const token = (
    await ok('POST', `/api/v1/namespaces/${other}/serviceaccounts/reader/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 600 },
    })
  ).body as { status: { token: string } };
  // RBAC reaches the authorizer's cache shortly after the binding: retried until allowed (403s raise nothing)
  await eventually('the service account reads the secret', async () =>
    (await raw('GET', `/api/v1/namespaces/${ns}/secrets/db`, undefined, { token: token.status.token }))
      .status === 200
      ? true
      : undefined,
  );

  // admission webhook configurations created, changed and deleted; for a resource that does not
  // exist and ignored on failure, so harmless to anything else on the server meanwhile
  for (const [kind, plural, name] of [
    ['ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', `${ns}-v`],
    ['MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', `${ns}-m`],
  ] as const) {
    await ok('POST', `${ADMISSION}/${plural}`, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind,
      metadata: { name },
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
    await ok('PATCH', `${ADMISSION}/${plural}/${name}`, { metadata: { labels: { changed: 'yes' } } }, MERGE);
    await ok('DELETE', `${ADMISSION}/${plural}/${name}`);
  }

  // system:anonymous granted reading ConfigMaps of ns, then an unauthenticated read that succeeds
  await ok('POST', `/api/v1/namespaces/${ns}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'public', namespace: ns },
    data: { motd: 'hello' },
  });
  await ok(
    'POST',
    `${RBAC}/namespaces/${ns}/roles`,
    rbacObject('Role', 'cm-reader', {
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    }),
  );
  const publicCm = `/api/v1/namespaces/${ns}/configmaps/public`;
  statuses.anonymousBefore = (await raw('GET', publicCm, undefined, { token: null })).status;
  await ok(
    'POST',
    `${RBAC}/namespaces/${ns}/rolebindings`,
    rbacObject('RoleBinding', 'anonymous-cm', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
      subjects: [{ kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' }],
    }),
  );
  statuses.anonymous = await eventually('the anonymous read allowed', async () => {
    const { status } = await raw('GET', publicCm, undefined, { token: null });
    return status === 200 ? status : undefined;
  });
  await ok('DELETE', `${RBAC}/namespaces/${ns}/rolebindings/anonymous-cm`);

  // exec into a pod with no node (400: nothing to alert), then exec, attach and port-forward into
  // a pod on a Node whose kubelet is the stand-in (101)
  const v4 = 'v4.channel.k8s.io';
  statuses.execUnscheduled = (
    await raw('POST', `/api/v1/namespaces/${ns}/pods/priv/exec?command=sh&stdout=true`, undefined, {
      upgrade: v4,
    })
  ).status;
  const kubelet = await fakeKubelet(dir);
  try {
    await ok('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: node } });
    await ok(
      'PATCH',
      `/api/v1/nodes/${node}/status`,
      {
        status: {
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
          daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
        },
      },
      MERGE,
    );
    await ok('POST', `/api/v1/namespaces/${ns}/pods`, pod('shell', { nodeName: node }));
    const shell = `/api/v1/namespaces/${ns}/pods/shell`;
    const up = async (path: string, protocol: string) =>
      (await raw('POST', `${shell}/${path}`, undefined, { upgrade: protocol })).status;
    statuses.exec = await up('exec?command=sh&container=c&stdin=true&stdout=true', v4);
    statuses.attach = await up('attach?container=c&stdout=true', v4);
    statuses.portforward = await up('portforward?ports=8080', 'portforward.k8s.io');
    await inLog(
      'the three upgrades complete in the audit log',
      (lines) =>
        lines.filter(
          (l) => l.includes(`/namespaces/${ns}/pods/shell/`) && l.includes('"stage":"ResponseComplete"'),
        ).length >= 3,
    );
    await ok('DELETE', `/api/v1/nodes/${node}`);
  } finally {
    kubelet.close();
  }

  const expected = [
    `Strata Privileged Pod: create pods pods/${ns}/priv`,
    `Strata Host Namespace Pod: create pods pods/${ns}/hostnet`,
    `Strata Binding to cluster-admin: create clusterrolebindings clusterrolebindings/${ns}`,
    `Strata NetworkPolicy Deleted: delete networkpolicies networkpolicies/${ns}/deny`,
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
  ].sort();
  return { statuses, kubeletPaths: kubelet.paths, expected, close: () => kubelet.close() };
}
