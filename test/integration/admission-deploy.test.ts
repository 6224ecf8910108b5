import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseAdmissionPolicy } from '../../src/admission/index.js';
import { type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';

/**
 * deploy/ and deploy/helm/strata: the plain manifests are the chart's current rendering, the policy
 * they carry is one `strata admission serve` accepts, and every object is accepted by the real
 * kube-apiserver v1.34 (server-side dry run, in a namespace of this run).
 */
const DEPLOY = join(process.cwd(), 'deploy');
const hasHelm = (() => {
  try {
    execFileSync('helm', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = kubeSkipReason('admission-deploy');
const NS = `strata-deploy-${process.pid}`;

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
};
const docs = (text: string): Obj[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => d !== null);

const PATHS: Readonly<Record<string, string>> = {
  ServiceAccount: '/api/v1/namespaces/NS/serviceaccounts',
  ConfigMap: '/api/v1/namespaces/NS/configmaps',
  Service: '/api/v1/namespaces/NS/services',
  Deployment: '/apis/apps/v1/namespaces/NS/deployments',
  PodDisruptionBudget: '/apis/policy/v1/namespaces/NS/poddisruptionbudgets',
  ClusterRole: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  ClusterRoleBinding: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  ValidatingWebhookConfiguration: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
  MutatingWebhookConfiguration: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
};

function helmTemplate(...args: string[]): string {
  return execFileSync('helm', ['template', 'strata', join(DEPLOY, 'helm/strata'), ...args], {
    encoding: 'utf8',
  });
}

describe('deploy/ manifests and the Helm chart', () => {
  it.skipIf(!hasHelm)('deploy/*.yaml are what deploy/render.sh renders from the chart now', () => {
    const out = mkdtempSync(join(tmpdir(), 'strata-render-'));
    try {
      execFileSync('bash', [join(DEPLOY, 'render.sh'), out]);
      for (const f of ['strata-admission.yaml', 'cert-manager.yaml'])
        expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(DEPLOY, f), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('carry a policy strata admission accepts, two replicas and webhooks that exempt their own namespace', () => {
    const objects = docs(readFileSync(join(DEPLOY, 'strata-admission.yaml'), 'utf8'));
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Deployment',
      'MutatingWebhookConfiguration',
      'Namespace',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
      'ValidatingWebhookConfiguration',
    ]);
    const policy = objects.find((o) => o.kind === 'ConfigMap')?.data?.['policy.yaml'] ?? '';
    expect(parseAdmissionPolicy(policy, 'policy.yaml').mode).toBe('enforce');
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { replicas: number };
    };
    expect(deployment.spec.replicas).toBe(2);
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      const hook = objects.find((o) => o.kind === kind) as unknown as { webhooks: Record<string, unknown>[] };
      expect(hook.webhooks[0]).toMatchObject({
        failurePolicy: 'Fail',
        timeoutSeconds: 10,
        sideEffects: 'None',
        namespaceSelector: {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'NotIn',
              values: ['strata-system', 'kube-system'],
            },
          ],
        },
      });
    }
  });

  describe.skipIf(skip)('against the real kube-apiserver (server-side dry run)', () => {
    let kube: KubeApiServer;
    beforeAll(async () => {
      kube = await kubeApiServer();
      await kube.ok('POST', '/api/v1/namespaces', { metadata: { name: NS } });
    });
    afterAll(async () => {
      await kube?.request('DELETE', `/api/v1/namespaces/${NS}`);
    });

    async function dryRunApply(objects: readonly Obj[]): Promise<string[]> {
      const accepted: string[] = [];
      for (const o of objects) {
        if (o.kind === 'Namespace') continue;
        const path = PATHS[o.kind];
        if (!path) throw new Error(`no API path for ${o.kind}`);
        const body = o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace: NS } } : o;
        const r = await kube.request(
          'POST',
          `${path.replace('NS', NS)}?dryRun=All&fieldValidation=Strict`,
          body,
        );
        expect({ kind: o.kind, status: r.status, message: r.body.message }).toEqual({
          kind: o.kind,
          status: 201,
          message: undefined,
        });
        accepted.push(o.kind);
      }
      return accepted;
    }

    it('accepts every object of deploy/strata-admission.yaml', async () => {
      const text = readFileSync(join(DEPLOY, 'strata-admission.yaml'), 'utf8').replaceAll(
        'strata-system',
        NS,
      );
      expect(await dryRunApply(docs(text))).toHaveLength(9);
    });

    it.skipIf(!hasHelm)('accepts the chart rendered with its own CA bundle and three replicas', async () => {
      const text = helmTemplate(
        '--namespace',
        NS,
        '--set',
        'certManager.enabled=false',
        '--set',
        'replicas=3',
        '--set',
        `tls.caBundle=${Buffer.from(kube.caPem).toString('base64')}`,
        '--set',
        'tls.secretName=my-tls',
      );
      const objects = docs(text);
      expect(objects.some((o) => o.kind === 'Certificate')).toBe(false);
      expect(await dryRunApply(objects)).toHaveLength(9);
    });
  });
});
