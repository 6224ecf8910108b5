import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerK8s } from '../../src/cli/commands/k8s.js';
import type { Finding, ScanResult } from '../../src/core/types.js';
import { scanImage } from '../../src/scan/index.js';
import { strata as strataCli } from '../support/cli.js';
import { runCommand } from '../support/cli-in-process.js';
import { type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';
import { type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

/**
 * `strata k8s --scan-images` against the real kube-apiserver v1.34 with kube-controller-manager
 * (a Deployment gets its ReplicaSet and Pods; they stay Pending without a kubelet, their specs are
 * what is read) and images in Debian's docker-registry behind htpasswd auth, pulled with the
 * namespace's imagePullSecret.
 */
const skip = kubeSkipReason('k8s-scan-images-kube');
const strata = (...args: string[]) => runCommand(registerK8s, args);

const NS = `strata-images-${process.pid}`;
const login = { username: 'puller', password: 'kube-pull-secret-pw' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip)('strata k8s --scan-images on the real kube-apiserver', () => {
  let kube: KubeApiServer;
  let registry: RunningRegistry;
  let work: string;
  let db: string;
  let image: string;
  let expected: ScanResult;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'strata-k8s-images-kube-'));
    registry = await startRegistry({ auth: login });
    image = `${registry.host}/demo/app:v1`;
    await skopeoCopy('oci-archive:examples/demo-image.tar', `docker://${image}`, {
      destCreds: `${login.username}:${login.password}`,
    });
    db = join(work, 'demo.db');
    const imported = await strataCli(['db', 'import', 'data/demo-osv', '--db', db, '-q']);
    expect(imported.code, imported.stderr).toBe(0);
    mkdirSync(join(work, 'empty-docker'));
    process.env.DOCKER_CONFIG = join(work, 'empty-docker');
    expected = await scanImage(image, {
      scanners: ['vuln', 'secret'],
      db,
      imageSources: ['remote'],
      ...login,
    });
    expect(expected.findings.length).toBeGreaterThan(0);

    kube = await kubeApiServer();
    await kube.ok('POST', '/api/v1/namespaces', { metadata: { name: NS } });
    // the controller manager creates the namespace's default service account, which pods need
    for (
      let i = 0;
      (await kube.request('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status !== 200;
      i++
    ) {
      if (i > 100) throw new Error('no default service account');
      await sleep(200);
    }
    const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    await kube.ok('POST', `/api/v1/namespaces/${NS}/secrets`, {
      metadata: { name: 'regcred' },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [registry.host]: { auth } } })).toString(
          'base64',
        ),
      },
    });
    const spec = (containers: object[]) => ({ imagePullSecrets: [{ name: 'regcred' }], containers });
    await kube.ok('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: spec([{ name: 'app', image }]) },
      },
    });
    await kube.ok('POST', `/api/v1/namespaces/${NS}/pods`, {
      metadata: { name: 'solo' },
      spec: spec([{ name: 'main', image }]),
    });
    await kube.ok('POST', `/api/v1/namespaces/${NS}/pods`, {
      metadata: { name: 'ghost' },
      spec: spec([{ name: 'x', image: `${registry.host}/demo/missing:v1` }]),
    });
    // wait for the Deployment's ReplicaSet and both Pods, so attribution to the owner is tested
    for (let i = 0; ; i++) {
      const pods = await kube.ok('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb`);
      if ((pods.items as unknown[]).length === 2) break;
      if (i > 150) throw new Error('the Deployment got no pods');
      await sleep(200);
    }
  }, 300_000);

  afterAll(async () => {
    await kube?.request('DELETE', `/api/v1/namespaces/${NS}`);
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    delete process.env.DOCKER_CONFIG;
  });

  const ids = (findings: readonly Finding[]) =>
    findings.map((f) => `${f.id} ${f.package?.name ?? ''}`).sort();

  it('as admin: pulls with the imagePullSecret, scans each image once, attributes findings to the workloads', async () => {
    const run = await strata(
      'k8s',
      '--kubeconfig',
      kube.adminKubeconfig,
      '-n',
      NS,
      '--scan-images',
      '--db',
      db,
      '--image-concurrency',
      '2',
      '--format',
      'json',
      '--exit-code',
      '1',
    );
    const result = JSON.parse(run.stdout) as ScanResult;
    const digest = expected.target.digest!;
    for (const resource of [`Deployment/${NS}/web`, `Pod/${NS}/solo`]) {
      const attached = result.findings.filter(
        (f) => f.location.resource === resource && (f.kind === 'vulnerability' || f.kind === 'secret'),
      );
      expect(ids(attached), resource).toEqual(ids(expected.findings));
      for (const f of attached) expect(f.location.image).toBe(`${image}@${digest}`);
    }
    expect(
      result.findings.find(
        (f) => f.location.resource === `Deployment/${NS}/web` && f.kind === 'vulnerability',
      )?.location.container,
    ).toBe('app');
    // the ReplicaSet and the Pods the Deployment made are not reported again
    const images = result.findings.filter((f) => f.location.image);
    expect(images.filter((f) => /^(ReplicaSet|Pod)\/.*\/web-/.test(f.location.resource ?? ''))).toEqual([]);
    // the image that is not there: one errors[] entry naming it and its pod, a finding, exit 1
    expect(result.errors).toEqual([
      expect.objectContaining({ analyzer: 'kube/images', path: `${registry.host}/demo/missing:v1` }),
    ]);
    expect(result.errors[0]?.message).toContain(`Pod/${NS}/ghost (x)`);
    const failed = result.findings.filter((f) => f.id === 'STRATA-K8S-IMAGE-SCAN-FAILED');
    expect(failed.map((f) => f.location.resource)).toEqual([`Pod/${NS}/ghost`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/k8s images: \d\/2 .*demo\/app:v1: \d+ findings/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(login.password);
  });

  it('as a user who may not read secrets: says so, falls back to the docker config, exit 2 when nothing scans', async () => {
    const run = await strata(
      'k8s',
      '--kubeconfig',
      kube.lowprivKubeconfig,
      '-n',
      NS,
      '--scan-images',
      '--db',
      db,
      '--format',
      'json',
    );
    expect(run.stderr).toContain(`imagePullSecret ${NS}/regcred not used: forbidden (HTTP 403)`);
    expect(run.stderr).toContain('none of the 2 images could be scanned');
    expect(run.code).toBe(2);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.errors.filter((e) => e.analyzer === 'kube/images').map((e) => e.path)).toEqual([
      image,
      `${registry.host}/demo/missing:v1`,
    ]);

    const docker = join(work, 'docker');
    mkdirSync(docker, { recursive: true });
    const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    writeFileSync(join(docker, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
    process.env.DOCKER_CONFIG = docker;
    try {
      const withConfig = await strata(
        'k8s',
        '--kubeconfig',
        kube.lowprivKubeconfig,
        '-n',
        NS,
        '--scan-images',
        '--db',
        db,
        '--format',
        'json',
      );
      expect(withConfig.code).toBe(0);
      const scanned = JSON.parse(withConfig.stdout) as ScanResult;
      const web = scanned.findings.filter(
        (f) => f.location.resource === `Deployment/${NS}/web` && f.location.image,
      );
      expect(ids(web)).toEqual(ids(expected.findings));
    } finally {
      process.env.DOCKER_CONFIG = join(work, 'empty-docker');
    }
  });
});
