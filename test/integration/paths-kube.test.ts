import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerK8s } from '../../src/cli/commands/k8s.js';
import type { AttackPathFinding, ScanResult } from '../../src/core/index.js';
import { runCommand } from '../support/cli-in-process.js';
import { type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';

/**
 * `strata k8s --paths` against the real kube-apiserver v1.34 (with kube-controller-manager: the
 * Deployment gets its ReplicaSet and Pods, which are attributed back to it). The images'
 * vulnerabilities come from `--results` (a Strata JSON result of an image scan), so the cluster
 * and the RBAC defaults the API server creates are the real parts under test here; the registry
 * pull path is tested in paths-registry.test.ts.
 */
const skip = kubeSkipReason('paths-kube');
const strata = (...args: string[]) => runCommand(registerK8s, args);
const NS = `strata-paths-${process.pid}`;
const RBAC = 'rbac.authorization.k8s.io';
const IMAGE = 'registry.example/shop/web:1.0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const imageResult = {
  schemaVersion: 1,
  tool: { name: 'strata', version: '0.1.0' },
  target: { type: 'container_image', name: IMAGE },
  packages: [],
  findings: [
    {
      id: 'CVE-2024-6119',
      kind: 'vulnerability',
      severity: 'HIGH',
      title: 'openssl: possible denial of service in X.509 name checks',
      package: {
        name: 'libssl3',
        version: '3.0.13-1~deb12u1',
        purl: 'pkg:deb/debian/libssl3@3.0.13-1~deb12u1',
      },
      fixedVersion: '3.0.14-1~deb12u2',
      status: 'fixed',
      location: { path: 'var/lib/dpkg/status' },
      evidence: {
        ecosystem: 'Debian:12',
        matchedBy: 'source',
        matchedName: 'openssl',
        matchedVersion: '3.0.13-1~deb12u1',
        severitySource: 'vendor',
        modified: '2024-09-04T00:00:00Z',
      },
    },
  ],
  summary: { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
  errors: [],
};

describe.skipIf(skip)('strata k8s --paths on the real kube-apiserver', () => {
  let kube: KubeApiServer;
  let work: string;
  let results: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'strata-paths-kube-'));
    results = join(work, 'results.json');
    writeFileSync(results, JSON.stringify(imageResult));
    kube = await kubeApiServer();
    await kube.ok('POST', '/api/v1/namespaces', { metadata: { name: NS } });
    const deployment = (name: string, extra: object, sc: object) => ({
      metadata: { name },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            ...extra,
            containers: [{ name, image: IMAGE, ports: [{ containerPort: 8080 }], securityContext: sc }],
          },
        },
      },
    });
    await kube.ok('POST', `/api/v1/namespaces/${NS}/serviceaccounts`, { metadata: { name: 'web' } });
    await kube.ok(
      'POST',
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      deployment('web', { serviceAccountName: 'web' }, { privileged: true }),
    );
    await kube.ok('POST', `/api/v1/namespaces/${NS}/services`, {
      metadata: { name: 'web' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    // an aggregated ClusterRole: the secrets rule comes from a second role through its label
    await kube.ok('POST', `/apis/${RBAC}/v1/clusterroles`, {
      metadata: { name: `${NS}-reader` },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`strata.test/${NS}`]: 'true' } }] },
    });
    await kube.ok('POST', `/apis/${RBAC}/v1/clusterroles`, {
      metadata: { name: `${NS}-secrets`, labels: { [`strata.test/${NS}`]: 'true' } },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
    });
    await kube.ok('POST', `/apis/${RBAC}/v1/clusterrolebindings`, {
      metadata: { name: `${NS}-web` },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: `${NS}-reader` },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: NS }],
    });
    // privileged and vulnerable, exposed, but closed by a NetworkPolicy (only a private range)
    await kube.ok(
      'POST',
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      deployment('intranet', {}, { privileged: true }),
    );
    await kube.ok('POST', `/api/v1/namespaces/${NS}/services`, {
      metadata: { name: 'intranet' },
      spec: { type: 'NodePort', selector: { app: 'intranet' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    await kube.ok('POST', `/apis/networking.k8s.io/v1/namespaces/${NS}/networkpolicies`, {
      metadata: { name: 'intranet-office-only' },
      spec: {
        podSelector: { matchLabels: { app: 'intranet' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
      },
    });
    for (let i = 0; ; i++) {
      const pods = await kube.ok('GET', `/api/v1/namespaces/${NS}/pods`);
      if ((pods.items as unknown[]).length === 2) break;
      if (i > 150) throw new Error('the Deployments got no pods');
      await sleep(200);
    }
  }, 300_000);

  afterAll(async () => {
    await kube?.request('DELETE', `/api/v1/namespaces/${NS}`);
    for (const name of [`${NS}-reader`, `${NS}-secrets`])
      await kube?.request('DELETE', `/apis/${RBAC}/v1/clusterroles/${name}`);
    await kube?.request('DELETE', `/apis/${RBAC}/v1/clusterrolebindings/${NS}-web`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reports the exposed, vulnerable, privileged Deployment and its token, not the closed one', async () => {
    const run = await strata(
      'k8s',
      '--kubeconfig',
      kube.adminKubeconfig,
      '-n',
      NS,
      '--paths',
      '--results',
      results,
      '--format',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as ScanResult;
    const paths = result.findings.filter((f): f is AttackPathFinding => f.kind === 'attack-path');
    expect(paths.map((p) => `${p.evidence.rank} ${p.location.resource} => ${p.evidence.goal}`)).toEqual([
      `1 Deployment/${NS}/web => node`,
      `2 Deployment/${NS}/web => secrets (cluster-wide)`,
    ]);
    const secrets = paths[1]!;
    expect(secrets.evidence.hops.map((h) => h.kind)).toEqual([
      'internet',
      'service',
      'workload',
      'vulnerability',
      'serviceaccount',
      'permission',
    ]);
    expect(secrets.evidence.hops[3]!.why).toContain('HIGH CVE-2024-6119 in deb package libssl3');
    expect(secrets.evidence.hops[5]!.why).toContain(`ClusterRoleBinding/${NS}-web`);
    expect(secrets.evidence.hops[5]!.why).toContain(`ClusterRole/${NS}-reader`);
    // the k8s findings are still there, the ReplicaSet and Pods are not workloads of their own
    expect(result.findings.some((f) => f.kind === 'misconfiguration')).toBe(true);
    expect(JSON.stringify(paths)).not.toMatch(/ReplicaSet|Pod\//);
  });

  it('draws the graph with --format mermaid, and refuses graph formats without --paths', async () => {
    const run = await strata(
      'k8s',
      '--kubeconfig',
      kube.adminKubeconfig,
      '-n',
      NS,
      '--paths',
      '--results',
      results,
      '--format',
      'mermaid',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^flowchart LR\n/);
    expect(run.stdout).toContain(`Deployment/${NS}/web`);
    expect(run.stdout).not.toContain('intranet');
    const refused = await strata('k8s', '--kubeconfig', kube.adminKubeconfig, '--format', 'dot');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--format dot: only with --paths');
    const stray = await strata('k8s', '--kubeconfig', kube.adminKubeconfig, '--results', results);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--results: only used with --paths');
  });
});
