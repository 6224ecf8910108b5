import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podSpec, workload } from '../../src/admission/testing/reviews.js';
import { RegistryClient } from '../../src/image/index.js';
import { signImage } from '../../src/trust/index.js';
import { httpsRequest, type RunningWebhook, signServingCert, startWebhook } from '../support/admission.js';
import { type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';
import { buildImage, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

/**
 * The webhook registered with the real kube-apiserver v1.34 (clientConfig.url + caBundle): pods
 * and deployments created through the API server are denied with Strata's message, warned,
 * mutated to digests, and judged but not stored under --dry-run=server.
 */
const skip = kubeSkipReason('admission-kube');
const RUN = `${process.pid}`;
const NS = `strata-adm-${RUN}`;
const NS_BASELINE = `strata-adm-base-${RUN}`;
const VALIDATING = `strata-validate-${RUN}`;
const MUTATING = `strata-mutate-${RUN}`;

describe.skipIf(skip)('strata admission serve behind the real kube-apiserver', () => {
  let kube: KubeApiServer;
  let webhook: RunningWebhook;
  let registry: RunningRegistry;
  let work: string;
  let appDigest: string;
  const team = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  /** A request as admin that also returns the Warning headers. */
  async function api(method: string, path: string, body?: unknown) {
    const r = await httpsRequest(`${kube.url}${path}`, Buffer.from(kube.caPem), {
      method,
      ...(body ? { body: JSON.stringify(body) } : {}),
      headers: { authorization: `Bearer ${kube.adminToken}` },
    });
    const warning = r.headers.warning;
    const warnings = (Array.isArray(warning) ? warning : warning ? [warning] : []).join('\n');
    return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown>, warnings };
  }

  async function push(name: string): Promise<string> {
    const layout = join(work, `layout-${name.replace(/\//g, '-')}`);
    const built = buildImage(layout, 'v1', {
      layers: [{ files: { 'etc/app': name }, createdBy: `ADD ${name}` }],
    });
    await skopeoCopy(`oci:${layout}:v1`, `docker://${registry.host}/${name}:v1`);
    return built.manifestDigest;
  }

  function hook(name: string, path: string, resources: readonly string[], groups: readonly string[]) {
    return {
      name,
      clientConfig: { url: `${webhook.url}${path}`, caBundle: Buffer.from(kube.caPem).toString('base64') },
      rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: groups, apiVersions: ['v1'], resources }],
      namespaceSelector: { matchLabels: { 'strata-admission-test': RUN } },
      failurePolicy: 'Fail',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      timeoutSeconds: 10,
    };
  }

  beforeAll(async () => {
    kube = await kubeApiServer();
    work = mkdtempSync(join(tmpdir(), 'strata-adm-kube-'));
    registry = await startRegistry();
    appDigest = await push('team/app');
    await push('team/plain');
    const client = new RegistryClient({ insecure: true });
    await signImage(`${registry.host}/team/app:v1`, { client, key: team.privateKey });
    await client.close();
    writeFileSync(join(work, 'team.pub'), team.publicKey.export({ format: 'pem', type: 'spki' }));
    writeFileSync(
      join(work, 'trust.yaml'),
      `policies:\n  - { name: team, images: ["${registry.host}/team/*"], keys: [team.pub] }\n`,
    );
    writeFileSync(
      join(work, 'policy.yaml'),
      `timeoutSeconds: 5\nimages: { allowedRegistries: ["${registry.host}"], pinDigests: true, verification: trust.yaml }\n`,
    );
    const tls = signServingCert(work, kube.ca, kube.caKey);
    webhook = await startWebhook([
      '--policy',
      join(work, 'policy.yaml'),
      '--tls-cert',
      tls.cert,
      '--tls-key',
      tls.key,
      '--kubeconfig',
      kube.adminKubeconfig,
    ]);
    for (const [name, labels] of [
      [NS, {}],
      [
        NS_BASELINE,
        { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' },
      ],
    ] as const) {
      await kube.ok('POST', '/api/v1/namespaces', {
        metadata: { name, labels: { 'strata-admission-test': RUN, ...labels } },
      });
      const sa = await kube.request('POST', `/api/v1/namespaces/${name}/serviceaccounts`, {
        metadata: { name: 'default' },
      });
      expect([201, 409]).toContain(sa.status);
    }
    await kube.ok('POST', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
      metadata: { name: MUTATING },
      webhooks: [hook('mutate.strata.dev', '/mutate', ['pods'], [''])],
    });
    await kube.ok('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name: VALIDATING },
      webhooks: [hook('validate.strata.dev', '/validate', ['pods', 'deployments'], ['', 'apps'])],
    });
    // the API server picks configurations up through an informer: wait until a denial shows
    for (let i = 0; i < 50; i++) {
      const probe = await api(
        'POST',
        `/api/v1/namespaces/${NS}/pods?dryRun=All`,
        workload('Pod', podSpec('quay.io/x/y:1'), 'probe', NS),
      );
      if (probe.status === 403) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 300_000);

  afterAll(async () => {
    await kube?.request(
      'DELETE',
      `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${VALIDATING}`,
    );
    await kube?.request(
      'DELETE',
      `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${MUTATING}`,
    );
    for (const ns of [NS, NS_BASELINE]) await kube?.request('DELETE', `/api/v1/namespaces/${ns}`);
    await webhook?.stop();
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const image = () => `${registry.host}/team/app:v1`;

  it("refuses a privileged pod with Strata's message naming every finding id", async () => {
    const r = await api(
      'POST',
      `/api/v1/namespaces/${NS}/pods`,
      workload('Pod', podSpec(image(), { privileged: true }), 'bad', NS),
    );
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(
      new RegExp(
        `^admission webhook "validate\\.strata\\.dev" denied the request: Strata denied Pod/${NS}/bad: PSS-privileged: Privileged containers: privileged \\(container "app" must not set securityContext\\.privileged=true\\); PSS-allowPrivilegeEscalation: `,
      ),
    );
  });

  it('stores an allowed pod with its tag pinned to the digest that was verified', async () => {
    const r = await api(
      'POST',
      `/api/v1/namespaces/${NS}/pods`,
      workload('Pod', podSpec(image()), 'good', NS),
    );
    expect(r.status).toBe(201);
    const stored = await kube.ok('GET', `/api/v1/namespaces/${NS}/pods/good`);
    const containers = (stored.spec as { containers: { image: string }[] }).containers;
    expect(containers[0]?.image).toBe(`${image()}@${appDigest}`);
  });

  it('refuses an unsigned image', async () => {
    const r = await api(
      'POST',
      `/api/v1/namespaces/${NS}/pods`,
      workload('Pod', podSpec(`${registry.host}/team/plain:v1`), 'plain', NS),
    );
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(
      /Strata denied Pod\/.*: POLICY-UNSATISFIED: policy team: no signatures found/,
    );
  });

  it('under the namespace labels enforce=baseline, warn=restricted: admits with Strata warnings', async () => {
    const spec = podSpec(image(), { allowPrivilegeEscalation: false });
    const r = await api(
      'POST',
      `/api/v1/namespaces/${NS_BASELINE}/pods`,
      workload('Pod', spec, 'warned', NS_BASELINE),
    );
    expect(r.status).toBe(201);
    expect(r.warnings).toMatch(/strata: PSS-capabilities_restricted: /);
  });

  it('--dry-run=server: judged (a bad pod is refused) but an allowed one is not stored', async () => {
    const bad = await api(
      'POST',
      `/api/v1/namespaces/${NS}/pods?dryRun=All`,
      workload('Pod', podSpec(image(), { privileged: true }), 'dry-bad', NS),
    );
    expect(bad.status).toBe(403);
    const good = await api(
      'POST',
      `/api/v1/namespaces/${NS}/pods?dryRun=All`,
      workload('Pod', podSpec(image()), 'dry-good', NS),
    );
    expect(good.status).toBe(201);
    expect((await kube.request('GET', `/api/v1/namespaces/${NS}/pods/dry-good`)).status).toBe(404);
  });

  it('refuses a Deployment that mounts the Docker socket (STRATA-K8S-017), warns on a privileged one', async () => {
    const socket = {
      ...podSpec(image()),
      volumes: [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }],
    };
    const denied = await api(
      'POST',
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      workload('Deployment', socket, 'sock', NS),
    );
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(
      /Strata denied Deployment\/.*\/sock: STRATA-K8S-017: Sensitive host path mounted/,
    );
    const warned = await api(
      'POST',
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      workload('Deployment', podSpec(image(), { privileged: true }), 'priv', NS),
    );
    expect(warned.status).toBe(201);
    expect(warned.warnings).toMatch(/strata: PSS-privileged/);
  });
});
