import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerK8s } from '../../src/cli/commands/k8s.js';
import type { Finding, ScanResult } from '../../src/core/types.js';
import { parsePssVersion } from '../../src/kube/workload/index.js';
import { type ClusterScanOptions, scanCluster } from '../../src/scan/index.js';
import { runCommand } from '../support/cli-in-process.js';
import { type FakeApiServer, startFakeApiServer } from '../support/fake-api-server.js';

const FIXTURE = JSON.parse(readFileSync('src/kube/cluster/fixtures/cluster.json', 'utf8')) as {
  lists: Record<string, Record<string, unknown>[]>;
};
const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXZhbHVl';
const TOTAL = Object.values(FIXTURE.lists).reduce((n, items) => n + items.length, 0);

/** Runs the command in-process. */
const strata = (...args: string[]) => runCommand(registerK8s, args);

type Scanned = ScanResult & { metadata: { cluster: Record<string, unknown> } };

/** The library call behind `strata k8s` (its result keeps `metadata`, which the JSON writer leaves out). */
async function scan(kubeconfig: string, options: Partial<ClusterScanOptions> = {}): Promise<Scanned> {
  const { result } = await scanCluster({
    kubeconfig,
    pss: { level: 'restricted', version: parsePssVersion('latest') },
    ...options,
  });
  return result as Scanned;
}

const byId = (findings: readonly Finding[], id: string) => findings.filter((f) => f.id === id);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-k8s-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strata k8s against a local HTTPS API server', () => {
  describe('with a bearer token and every list readable', () => {
    let api: FakeApiServer;
    let result: Scanned;
    beforeAll(async () => {
      api = await startFakeApiServer({ lists: FIXTURE.lists, auth: { token: 'scanner-token' } });
      api.writeKubeconfig(join(dir, 'token.yaml'), { token: 'scanner-token' }, 'kind-shop');
      result = await scan(join(dir, 'token.yaml'), { pageSize: 2 });
    });
    afterAll(() => api?.stop());

    it('collects every resource across pages (limit + continue)', () => {
      const counts = result.metadata.cluster.counts as Record<string, number>;
      expect(counts).toMatchObject({
        Pod: 6,
        Deployment: 3,
        Namespace: 3,
        ClusterRole: 2,
        Secret: 1,
        ConfigMap: 1,
      });
      // every fixture item except the ConfigMap that is not CNI/mesh config
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(TOTAL - 1);
      expect(api.requests).toContain('/api/v1/pods?limit=2');
      expect(api.requests.filter((r) => r.startsWith('/api/v1/pods?'))).toHaveLength(3);
      expect(api.requests.some((r) => r.startsWith('/api/v1/pods?limit=2&continue='))).toBe(true);
    });

    it('targets the context and records kubelet versions and the server version', () => {
      expect(result.target).toEqual({ type: 'cluster', name: 'kind-shop' });
      expect(result.metadata.cluster).toMatchObject({
        version: 'v1.30.2',
        nodes: [
          { name: 'node-1', kubeletVersion: 'v1.30.2' },
          { name: 'node-2', kubeletVersion: 'v1.29.6' },
        ],
      });
    });

    it('runs the PSS, NetworkPolicy and RBAC analyzers on the collected resources', () => {
      const agent = result.findings.filter((f) => f.location.resource?.includes('node-agent'));
      expect(agent.map((f) => f.id)).toEqual(
        expect.arrayContaining(['PSS-privileged', 'PSS-hostNamespaces']),
      );
      expect(agent.every((f) => f.location.path === 'cluster:kind-shop')).toBe(true);
      expect(result.findings.some((f) => f.kind === 'network')).toBe(true);
      expect(result.findings.some((f) => f.kind === 'rbac')).toBe(true);
      expect(result.findings.filter((f) => f.id.startsWith('STRATA-K8S-COLLECT'))).toEqual([]);
      expect(result.errors).toEqual([]);
    });

    it('never reads Secret values: metadata-only list, last-applied annotation dropped', () => {
      const text = JSON.stringify(result);
      expect(text).not.toContain(SECRET_VALUE);
      expect(api.requests).toContain('/api/v1/secrets?limit=2');
    });

    it('prints the SPEC JSON through the CLI, without Secret values, gated by --exit-code', async () => {
      const run = await strata(
        'k8s',
        '--kubeconfig',
        join(dir, 'token.yaml'),
        '--format',
        'json',
        '--exit-code',
        '5',
      );
      expect(run.code).toBe(5);
      expect(run.stderr).toMatch(/^k8s: \d+ resources, \d+ findings, 0 lists not readable\n$/);
      const json = JSON.parse(run.stdout) as ScanResult;
      expect(json.target).toEqual({ type: 'cluster', name: 'kind-shop' });
      expect(json.findings.length).toBe(result.findings.length);
      expect(run.stdout).not.toContain(SECRET_VALUE);
    });

    it('refuses a wrong token: every list is reported, none is empty', async () => {
      api.writeKubeconfig(join(dir, 'bad-token.yaml'), { token: 'wrong' });
      const bad = await scan(join(dir, 'bad-token.yaml'));
      expect(bad.metadata.cluster.counts).toEqual({});
      expect(byId(bad.findings, 'STRATA-K8S-COLLECT-FORBIDDEN').length).toBe(21);
      expect(bad.errors.length).toBe(21);
    });
  });

  describe('with a client certificate, 403 on secrets and roles, and a pods list that never answers', () => {
    let api: FakeApiServer;
    let result: Scanned;
    beforeAll(async () => {
      api = await startFakeApiServer({
        lists: FIXTURE.lists,
        auth: 'client-cert',
        forbidden: ['/api/v1/secrets', '/apis/rbac.authorization.k8s.io/v1/roles'],
        slow: ['/api/v1/pods'],
      });
      api.writeKubeconfig(join(dir, 'cert.yaml'), 'client-cert');
      result = await scan(join(dir, 'cert.yaml'), { timeoutMs: 1500 });
    });
    afterAll(() => api?.stop());

    it('reports each forbidden list as a finding and an error, never as zero items', () => {
      const forbidden = byId(result.findings, 'STRATA-K8S-COLLECT-FORBIDDEN');
      expect(forbidden.map((f) => f.title).sort()).toEqual([
        'could not read roles: forbidden',
        'could not read secrets: forbidden',
      ]);
      expect(forbidden.find((f) => f.title.includes('secrets'))).toMatchObject({
        kind: 'exposure',
        location: { path: 'cluster:fake', resource: 'Secret' },
        evidence: { request: `GET ${api.url}/api/v1/secrets?limit=500`, reason: 'forbidden', status: 403 },
      });
      const counts = result.metadata.cluster.counts as Record<string, number>;
      expect(counts).not.toHaveProperty('Secret');
      expect(counts).not.toHaveProperty('Role');
      expect(result.errors.map((e) => e.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^could not read secrets: forbidden \(HTTP 403\)/),
          expect.stringMatching(/^could not read roles: forbidden \(HTTP 403\)/),
        ]),
      );
    });

    it('reports the list that timed out, and still analyses everything else', () => {
      const failed = byId(result.findings, 'STRATA-K8S-COLLECT-FAILED');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        title: 'could not read pods: timeout',
        evidence: { reason: 'timeout' },
      });
      const counts = result.metadata.cluster.counts as Record<string, number>;
      expect(counts).not.toHaveProperty('Pod');
      expect(counts.Deployment).toBe(3);
      expect(result.findings.some((f) => f.id === 'PSS-privileged')).toBe(true);
    });

    it('limits namespaced lists to --namespace', async () => {
      const shop = await scan(join(dir, 'cert.yaml'), { namespace: 'shop', timeoutMs: 1500 });
      expect(api.requests).toContain('/apis/apps/v1/namespaces/shop/deployments?limit=500');
      expect((shop.metadata.cluster.counts as Record<string, number>).Deployment).toBe(2);
      expect(
        byId(shop.findings, 'STRATA-K8S-COLLECT-FORBIDDEN')
          .map((f) => f.location.resource)
          .sort(),
      ).toEqual(['Role/shop', 'Secret/shop']);
    });
  });

  it("exits 2 with kubectl's one line when the endpoint answers 404 to everything", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const kubeconfig = join(dir, 'not-kube.yaml');
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          'current-context: web',
          'clusters: [{name: web, cluster: {server: "' + url + '"}}]',
          'users: [{name: u, user: {token: t}}]',
          'contexts: [{name: web, context: {cluster: web, user: u}}]',
        ].join('\n'),
      );
      const run = await strata('k8s', '--kubeconfig', kubeconfig, '--format', 'json');
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringContaining(`${url}: the server could not find the requested resource`),
      ]);
    } finally {
      server.close();
    }
  });

  it.each([
    [['--kubeconfig', '/nonexistent/kubeconfig'], /kubeconfig not found/],
    [['--kubeconfig', 'package.json', '--context', 'nope'], /context "nope" not found/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const run = await strata('k8s', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
