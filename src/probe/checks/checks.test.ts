import { describe, expect, it } from 'vitest';
import type { ProbeRequest, ProbeResponse, ProbeTarget, Scheme } from '../types.js';
import type { CheckContext } from './context.js';
import { EXPOSURE_CHECKS } from './index.js';

const target: ProbeTarget = { host: '10.0.0.9', port: 1234 };

type Routes = Record<string, { status: number; body: unknown; headers?: Record<string, string> }>;

/** A context whose fetch answers from a table (`METHOD PATH`), 404 otherwise, and records every request. */
function fakeContext(routes: Routes, scheme: Scheme = 'https'): { ctx: CheckContext; sent: ProbeRequest[] } {
  const sent: ProbeRequest[] = [];
  const ctx: CheckContext = {
    target,
    scheme,
    async fetch(req): Promise<ProbeResponse> {
      sent.push(req);
      const route = routes[`${req.method} ${req.path}`] ?? { status: 404, body: '404 page not found' };
      return {
        url: `${scheme}://10.0.0.9:1234${req.path}`,
        method: req.method,
        status: route.status,
        headers: route.headers ?? {},
        body: typeof route.body === 'string' ? route.body : JSON.stringify(route.body),
        tls:
          scheme === 'https'
            ? { used: true, valid: false, reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' }
            : { used: false },
      };
    },
  };
  return { ctx, sent };
}

async function runAll(routes: Routes, scheme: Scheme = 'https') {
  const { ctx, sent } = fakeContext(routes, scheme);
  const findings = [];
  for (const check of EXPOSURE_CHECKS) findings.push(...(await check.run(ctx)));
  return { ids: findings.map((f) => f.id).sort(), findings, sent };
}

const kubeVersion = {
  major: '1',
  minor: '30',
  gitVersion: 'v1.30.2',
  goVersion: 'go1.22.4',
  platform: 'linux/amd64',
};

describe('exposure checks', () => {
  it('say nothing when every path is 401 (authenticated endpoint)', async () => {
    const { ctx } = fakeContext({});
    const unauthorized: CheckContext = {
      ...ctx,
      fetch: async (req) => {
        const res = await ctx.fetch(req);
        return res && { ...res, status: 401, body: '{"kind":"Status","code":401}' };
      },
    };
    for (const check of EXPOSURE_CHECKS) expect(await check.run(unauthorized)).toEqual([]);
  });

  it('say nothing for an unrelated web server that answers 200 with HTML everywhere', async () => {
    const html = { status: 200, body: '<html><title>nginx</title></html>' };
    const routes: Routes = {};
    for (const p of [
      '/version',
      '/api',
      '/pods',
      '/v2/',
      '/v2/_catalog?n=100',
      '/',
      '/api/v1/csrftoken/login',
    ]) {
      routes[`GET ${p}`] = html;
    }
    expect((await runAll(routes)).ids).toEqual([]);
  });

  it('find an anonymous API server: version, discovery and cluster-wide lists with item counts', async () => {
    const { ids, findings } = await runAll({
      'GET /version': { status: 200, body: kubeVersion },
      'GET /api': { status: 200, body: { kind: 'APIVersions', versions: ['v1'] } },
      'GET /apis': { status: 200, body: { kind: 'APIGroupList', groups: [{}, {}, {}] } },
      'GET /api/v1/namespaces?limit=500': {
        status: 200,
        body: { kind: 'NamespaceList', metadata: {}, items: [{}, {}, {}, {}] },
      },
      'GET /api/v1/pods?limit=500': { status: 403, body: { kind: 'Status', code: 403 } },
    });
    expect(ids).toEqual([
      'STRATA-PROBE-KUBE-API-ANONYMOUS-NAMESPACES',
      'STRATA-PROBE-KUBE-API-DISCOVERY',
      'STRATA-PROBE-KUBE-API-VERSION',
    ]);
    const ns = findings.find((f) => f.id === 'STRATA-PROBE-KUBE-API-ANONYMOUS-NAMESPACES');
    expect(ns?.evidence).toEqual({
      service: 'kube-apiserver',
      request: 'GET https://10.0.0.9:1234/api/v1/namespaces?limit=500',
      status: 200,
      seen: { kind: 'NamespaceList', items: 4 },
      tls: { used: true, valid: false, reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    });
    expect(findings.find((f) => f.id === 'STRATA-PROBE-KUBE-API-DISCOVERY')?.evidence).toHaveProperty(
      'seen',
      {
        versions: ['v1'],
        apiGroups: 3,
      },
    );
  });

  it('count list items beyond the first page from remainingItemCount', async () => {
    const { findings } = await runAll({
      'GET /version': { status: 200, body: kubeVersion },
      'GET /api/v1/pods?limit=500': {
        status: 200,
        body: {
          kind: 'PodList',
          metadata: { continue: 'x', remainingItemCount: 1500 },
          items: new Array(500).fill({}),
        },
      },
    });
    expect(findings.find((f) => f.id === 'STRATA-PROBE-KUBE-API-ANONYMOUS-PODS')?.evidence).toHaveProperty(
      'seen',
      {
        kind: 'PodList',
        items: 2000,
      },
    );
  });

  it.each([
    ['https', ['STRATA-PROBE-KUBELET-API', 'STRATA-PROBE-KUBELET-RUNNINGPODS'], 'CRITICAL'],
    ['http', ['STRATA-PROBE-KUBELET-READONLY'], 'HIGH'],
  ] as const)('find a kubelet answering /pods over %s', async (scheme, expected, severity) => {
    const podList = { status: 200, body: { kind: 'PodList', items: [{}, {}] } };
    const { ids, findings } = await runAll({ 'GET /pods': podList, 'GET /runningpods/': podList }, scheme);
    expect(ids).toEqual(expected);
    expect(findings[0]?.severity).toBe(severity);
  });

  it('find a Docker daemon and count its containers', async () => {
    const { ids, findings } = await runAll({
      'GET /version': {
        status: 200,
        body: { Version: '24.0.7', ApiVersion: '1.43', Os: 'linux', Arch: 'amd64' },
      },
      'GET /containers/json': { status: 200, body: [{ Id: 'a' }, { Id: 'b' }] },
    });
    expect(ids).toEqual(['STRATA-PROBE-DOCKER-API', 'STRATA-PROBE-DOCKER-CONTAINERS']);
    expect(findings.find((f) => f.id === 'STRATA-PROBE-DOCKER-CONTAINERS')?.evidence).toHaveProperty('seen', {
      containers: 2,
    });
  });

  it('find a registry catalog; HIGH when it lists repositories', async () => {
    const { findings } = await runAll({
      'GET /v2/': { status: 200, body: {}, headers: { 'docker-distribution-api-version': 'registry/2.0' } },
      'GET /v2/_catalog?n=100': { status: 200, body: { repositories: ['team/app', 'team/db'] } },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'HIGH', evidence: { seen: { repositories: 2 } } });
  });

  it.each([
    [
      'the csrftoken endpoint',
      { 'GET /api/v1/csrftoken/login': { status: 200, body: { token: 'secret-ish' } } },
    ],
    ['the root page', { 'GET /': { status: 200, body: '<html><head><title>Kubernetes Dashboard</title>' } }],
  ])('find a dashboard by %s without recording the token', async (_name, routes) => {
    const { ids, findings } = await runAll(routes as Routes);
    expect(ids).toEqual(['STRATA-PROBE-DASHBOARD']);
    expect(JSON.stringify(findings)).not.toContain('secret-ish');
  });

  it('find etcd and read with a count-only range on /registry/, the only POST any check sends', async () => {
    const { ids, findings, sent } = await runAll({
      'GET /version': { status: 200, body: { etcdserver: '3.5.9', etcdcluster: '3.5.0' } },
      'POST /v3/kv/range': { status: 200, body: { header: { revision: '42' }, count: '17' } },
    });
    expect(ids).toEqual(['STRATA-PROBE-ETCD-READ', 'STRATA-PROBE-ETCD-VERSION']);
    expect(findings.find((f) => f.id === 'STRATA-PROBE-ETCD-READ')?.evidence).toHaveProperty('seen', {
      keyPrefix: '/registry/',
      count: 17,
      revision: 42,
    });
    const posts = sent.filter((r) => r.method !== 'GET');
    expect(posts).toEqual([
      {
        method: 'POST',
        path: '/v3/kv/range',
        json: {
          key: Buffer.from('/registry/').toString('base64'),
          range_end: Buffer.from('/registry0').toString('base64'),
          count_only: true,
        },
      },
    ]);
  });

  it('fall back to the v3beta gateway on etcd 3.3', async () => {
    const { ids } = await runAll({
      'GET /version': { status: 200, body: { etcdserver: '3.3.27', etcdcluster: '3.3.0' } },
      'POST /v3beta/kv/range': { status: 200, body: { header: { revision: '7' } } },
    });
    expect(ids).toContain('STRATA-PROBE-ETCD-READ');
  });
});
