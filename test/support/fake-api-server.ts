import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { makeTestCerts } from './tls.js';

/**
 * A stand-in Kubernetes API server for tests and benchmarks (no real one runs on these
 * machines): HTTPS with an openssl-made CA, bearer-token or client-certificate auth, list
 * endpoints with `limit`/`continue`, 403s and never-answering paths on demand.
 */
export interface FakeApiOptions {
  /** items per list path, e.g. `/api/v1/pods` → pod objects as the API returns them (no kind/apiVersion) */
  readonly lists: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  readonly auth: { readonly token: string } | 'client-cert';
  /** list paths answered 403 Forbidden (any namespace) */
  readonly forbidden?: readonly string[];
  /** list paths that never answer (the client must time out) */
  readonly slow?: readonly string[];
  readonly version?: string;
}

export interface FakeApiServer {
  readonly url: string;
  readonly caFile: string;
  /** a client certificate/key signed by the CA (for `auth: 'client-cert'`) */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** every request path (with query) in arrival order */
  readonly requests: string[];
  /** the Authorization header of every request, in arrival order (`''` when none was sent) */
  readonly authorizations: string[];
  /** writes a kubeconfig for this server; `cert` = client-cert user, otherwise the token */
  writeKubeconfig(file: string, user: { token: string } | 'client-cert', context?: string): void;
  stop(): Promise<void>;
}

function listKind(path: string): string {
  const plural = path.split('/').pop() ?? '';
  const known: Record<string, string> = {
    namespaces: 'NamespaceList',
    nodes: 'NodeList',
    pods: 'PodList',
    services: 'ServiceList',
    secrets: 'SecretList',
    serviceaccounts: 'ServiceAccountList',
    replicationcontrollers: 'ReplicationControllerList',
    deployments: 'DeploymentList',
    statefulsets: 'StatefulSetList',
    daemonsets: 'DaemonSetList',
    replicasets: 'ReplicaSetList',
    jobs: 'JobList',
    cronjobs: 'CronJobList',
    ingresses: 'IngressList',
    networkpolicies: 'NetworkPolicyList',
    roles: 'RoleList',
    rolebindings: 'RoleBindingList',
    clusterroles: 'ClusterRoleList',
    clusterrolebindings: 'ClusterRoleBindingList',
    peerauthentications: 'PeerAuthenticationList',
    configmaps: 'ConfigMapList',
  };
  return known[plural] ?? 'List';
}

function send(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const statusBody = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

/** `/api/v1/namespaces/NS/pods` → (`/api/v1/pods`, NS); `/api/v1/namespaces/NS/configmaps/NAME` → a get. */
function route(pathname: string): { list: string; namespace?: string; name?: string } {
  const m = /^(\/api\/v1|\/apis\/[^/]+\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(pathname);
  if (m?.[1] && m[2] && m[3])
    return { list: `${m[1]}/${m[3]}`, namespace: m[2], ...(m[4] ? { name: m[4] } : {}) };
  return { list: pathname };
}

export async function startFakeApiServer(options: FakeApiOptions): Promise<FakeApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-fake-kube-'));
  makeTestCerts(dir, {
    ca: '/CN=fake-kube-ca',
    server: { subject: '/CN=kube-apiserver', extensions: 'subjectAltName=IP:127.0.0.1,DNS:localhost' },
    client: { subject: '/O=system:masters/CN=strata-scanner' },
  });
  const requests: string[] = [];
  const authorizations: string[] = [];
  const pending = new Set<import('node:http').ServerResponse>();
  const server = https.createServer(
    {
      cert: readFileSync(join(dir, 'server.pem')),
      key: readFileSync(join(dir, 'server.key')),
      ca: readFileSync(join(dir, 'ca.pem')),
      requestCert: options.auth === 'client-cert',
      rejectUnauthorized: false,
    },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://x');
      requests.push(`${url.pathname}${url.search}`);
      authorizations.push(req.headers.authorization ?? '');
      const authed =
        options.auth === 'client-cert'
          ? (req.socket as TLSSocket).authorized
          : req.headers.authorization === `Bearer ${options.auth.token}`;
      if (!authed) return send(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
      if (req.method !== 'GET') return send(res, 405, statusBody(405, 'MethodNotAllowed', 'read-only fake'));
      if (url.pathname === '/version') {
        return send(res, 200, {
          major: '1',
          minor: '30',
          gitVersion: options.version ?? 'v1.30.2',
          goVersion: 'go1.22.4',
          platform: 'linux/amd64',
        });
      }
      const r = route(url.pathname);
      if (options.slow?.includes(r.list)) {
        pending.add(res);
        return undefined;
      }
      const plural = r.list.split('/').pop() ?? '';
      if (options.forbidden?.includes(r.list)) {
        const scope = r.namespace ? ` in the namespace "${r.namespace}"` : ' at the cluster scope';
        return send(
          res,
          403,
          statusBody(
            403,
            'Forbidden',
            `${plural} is forbidden: User "strata-scanner" cannot list resource "${plural}" in API group ""${scope}`,
          ),
        );
      }
      const all = options.lists[r.list];
      if (!all)
        return send(
          res,
          404,
          statusBody(404, 'NotFound', 'the server could not find the requested resource'),
        );
      const inNs = r.namespace
        ? all.filter((o) => (o.metadata as { namespace?: string } | undefined)?.namespace === r.namespace)
        : all;
      if (r.name) {
        const one = inNs.find((o) => (o.metadata as { name?: string } | undefined)?.name === r.name);
        return one
          ? send(res, 200, { kind: listKind(r.list).replace(/List$/, ''), apiVersion: 'v1', ...one })
          : send(res, 404, statusBody(404, 'NotFound', `${plural} "${r.name}" not found`));
      }
      const limit = Number(url.searchParams.get('limit') ?? '0');
      const start = Number(Buffer.from(url.searchParams.get('continue') ?? '', 'base64').toString() || '0');
      const end = limit > 0 ? Math.min(inNs.length, start + limit) : inNs.length;
      const metaOnly = (req.headers.accept ?? '').includes('as=PartialObjectMetadataList');
      const page = inNs.slice(start, end).map((o) => (metaOnly ? { metadata: o.metadata } : o));
      return send(res, 200, {
        kind: metaOnly ? 'PartialObjectMetadataList' : listKind(r.list),
        apiVersion: metaOnly ? 'meta.k8s.io/v1' : 'v1',
        metadata: {
          resourceVersion: '12345',
          ...(end < inNs.length
            ? { continue: Buffer.from(String(end)).toString('base64'), remainingItemCount: inNs.length - end }
            : {}),
        },
        items: page,
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `https://127.0.0.1:${port}`;
  const caFile = join(dir, 'ca.pem');
  return {
    url,
    caFile,
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client.key'),
    requests,
    authorizations,
    writeKubeconfig(file, user, context = 'fake') {
      const userLines =
        user === 'client-cert'
          ? [
              `    client-certificate: ${join(dir, 'client.pem')}`,
              `    client-key-data: ${readFileSync(join(dir, 'client.key')).toString('base64')}`,
            ]
          : [`    token: ${user.token}`];
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          `current-context: ${context}`,
          'clusters:',
          '- name: fake-cluster',
          '  cluster:',
          `    server: ${url}`,
          `    certificate-authority-data: ${readFileSync(caFile).toString('base64')}`,
          'contexts:',
          `- name: ${context}`,
          '  context:',
          '    cluster: fake-cluster',
          '    user: scanner',
          'users:',
          '- name: scanner',
          '  user:',
          ...userLines,
          '',
        ].join('\n'),
      );
    },
    async stop() {
      for (const res of pending) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
