import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';
import { eventually, type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';

/**
 * `strata audit` on the REAL kube-apiserver's audit log (--audit-log-path, JSON, RequestResponse
 * policy): actions of the built-in rules done through the API are each detected exactly once. The log
 * is shared with other suites, so only findings about this run's uniquely named objects are counted.
 */
const skip = kubeSkipReason('audit-kube');

describe.skipIf(skip)('strata audit on a real API server audit log', () => {
  let kube: KubeApiServer;
  const ns = `strata-audit-${randomBytes(4).toString('hex')}`;
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
    await eventually('the delete in the audit log', async () =>
      readFileSync(kube.auditLog, 'utf8').includes(`/networkpolicies/deny","verb":"delete"`)
        ? true
        : undefined,
    );
  }, 120_000);

  it('detects each action once', async () => {
    const r = await strata(['audit', kube.auditLog, '-f', 'json', '-q'], {
      heapMiB: 512,
      timeoutMs: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const mine = (JSON.parse(r.stdout).findings as Array<{ id: string; location: { resource?: string } }>)
      .filter((f) => f.location.resource?.includes(ns))
      .map((f) => `${f.id} ${f.location.resource}`)
      .sort();
    expect(mine).toEqual(
      [
        `Strata Binding to cluster-admin clusterrolebindings/${ns}`,
        `Strata Host Namespace Pod pods/${ns}/hostnet`,
        `Strata NetworkPolicy Deleted networkpolicies/${ns}/deny`,
        `Strata Privileged Pod pods/${ns}/priv`,
      ].sort(),
    );
  }, 180_000);
});
