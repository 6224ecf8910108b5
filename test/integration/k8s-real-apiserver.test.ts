import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerK8s } from '../../src/cli/commands/k8s.js';
import type { Finding, ScanResult } from '../../src/core/types.js';
import { parsePssVersion } from '../../src/kube/workload/index.js';
import { scanCluster } from '../../src/scan/index.js';
import { runCommand } from '../support/cli-in-process.js';
import { type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';

/**
 * `strata k8s --kubeconfig` against the real kube-apiserver v1.34 (test/support/kube-apiserver.ts),
 * as cluster admin and as a low-privileged user who may not read secrets or RBAC objects.
 */
const skip = kubeSkipReason('k8s-real-apiserver');
const strata = (...args: string[]) => runCommand(registerK8s, args);

const NS = `strata-k8s-${process.pid}`;
const SECRET_VALUE = 'dG9wLXNlY3JldC12YWx1ZQ==';

describe.skipIf(skip)('strata k8s against the real kube-apiserver', () => {
  let kube: KubeApiServer;
  beforeAll(async () => {
    kube = await kubeApiServer();
    await kube.ok('POST', '/api/v1/namespaces', { metadata: { name: NS } });
    await kube.ok('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
      metadata: { name: 'node-agent' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'node-agent' } },
        template: {
          metadata: { labels: { app: 'node-agent' } },
          spec: {
            hostNetwork: true,
            containers: [{ name: 'agent', image: 'busybox:1.36', securityContext: { privileged: true } }],
          },
        },
      },
    });
    await kube.ok('POST', `/api/v1/namespaces/${NS}/secrets`, {
      metadata: { name: 'db' },
      data: { password: SECRET_VALUE },
    });
    // only a binding to a default ClusterRole: the role itself is the server's
    await kube.ok('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, {
      metadata: { name: 'deployer-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: NS }],
    });
  });
  afterAll(async () => {
    await kube?.request('DELETE', `/api/v1/namespaces/${NS}`);
  });

  const mine = (findings: readonly Finding[]) =>
    findings.filter(
      (f) => f.location.resource?.includes(NS) || JSON.stringify(f.evidence ?? {}).includes(NS),
    );

  it('as admin: reads every list, names the server version, finds the workload and the binding', async () => {
    const run = await strata('k8s', '--kubeconfig', kube.adminKubeconfig, '--format', 'json');
    expect(run.stderr).toMatch(/^k8s: \d+ resources, \d+ findings, 0 lists not readable\n$/);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.target).toEqual({ type: 'cluster', name: 'strata-admin@strata-kube' });
    expect(result.errors).toEqual([]);
    expect(result.findings.filter((f) => f.id.startsWith('STRATA-K8S-COLLECT'))).toEqual([]);
    const ids = new Set(mine(result.findings).map((f) => f.id));
    expect(ids).toContain('PSS-privileged');
    expect(ids).toContain('PSS-hostNamespaces');
    // the RoleBinding grants cluster-admin's rules in the namespace: the server's own cluster-admin is read
    expect(ids).toContain('RBAC-CLUSTER-ADMIN');
    expect(run.stdout).not.toContain(SECRET_VALUE);
    expect(run.code).toBe(0);
    const { result: lib } = await scanCluster({
      kubeconfig: kube.adminKubeconfig,
      pss: { level: 'restricted', version: parsePssVersion('latest') },
    });
    const cluster = (lib as ScanResult & { metadata: { cluster: Record<string, unknown> } }).metadata.cluster;
    expect(cluster.version).toBe('v1.34.4');
    // the server's own defaults are collected: 68 ClusterRoles at start, plus what tests add
    expect((cluster.counts as Record<string, number>).ClusterRole).toBeGreaterThanOrEqual(68);
  });

  it('as a low-privileged user: the forbidden lists are findings and errors, the rest is analysed', async () => {
    const run = await strata('k8s', '--kubeconfig', kube.lowprivKubeconfig, '--format', 'json');
    const result = JSON.parse(run.stdout) as ScanResult;
    const forbidden = result.findings
      .filter((f) => f.id === 'STRATA-K8S-COLLECT-FORBIDDEN')
      .map((f) => f.title)
      .sort();
    // strata-lowpriv-reader (test/support/kube/start.sh) grants no secrets, RBAC objects or nodes
    expect(forbidden).toEqual(
      expect.arrayContaining([
        'could not read clusterrolebindings: forbidden',
        'could not read clusterroles: forbidden',
        'could not read nodes: forbidden',
        'could not read rolebindings: forbidden',
        'could not read roles: forbidden',
        'could not read secrets: forbidden',
      ]),
    );
    expect(forbidden.some((t) => /pods|deployments|namespaces/.test(t))).toBe(false);
    expect(result.errors.length).toBe(forbidden.length);
    expect(run.stderr).toContain(`${forbidden.length} lists not readable`);
    const ids = new Set(mine(result.findings).map((f) => f.id));
    expect(ids).toContain('PSS-privileged');
    expect(ids).not.toContain('RBAC-CLUSTER-ADMIN');
  });
});
