import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toKubeResource } from '../../src/kube/index.js';
import { scanClusterImages, scanImage } from '../../src/scan/index.js';
import { strata } from '../support/cli.js';
import { type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

// `strata k8s --scan-images` as a library, on Debian's docker-registry (with htpasswd auth) and
// resources shaped as the API server returns them: every distinct image scanned once, its
// findings attached to each workload that runs it, an image that is not there an error and a
// finding, never silence.

let work: string;
let registry: RunningRegistry;
let db: string;
let image: string;
const login = { username: 'puller', password: 'pull-secret-pw' };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-k8s-images-'));
  registry = await startRegistry({ auth: login });
  image = `${registry.host}/demo/app:v1`;
  await skopeoCopy('oci-archive:examples/demo-image.tar', `docker://${image}`, {
    destCreds: `${login.username}:${login.password}`,
  });
  db = join(work, 'demo.db');
  const imported = await strata(['db', 'import', 'data/demo-osv', '--db', db, '-q']);
  expect(imported.code, imported.stderr).toBe(0);
  // no docker config: credentials can only come from what the scan is given
  process.env.DOCKER_CONFIG = join(work, 'docker');
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const res = (kind: string, apiVersion: string, object: Record<string, unknown>) =>
  toKubeResource(object, kind, apiVersion, 'cluster:test')!;
const podSpec = (containers: { name: string; image: string }[]) => ({ containers });

describe('scanClusterImages on a real registry', () => {
  it('scans each distinct image once and attributes its findings to every workload that runs it', async () => {
    const resources = [
      res('Deployment', 'apps/v1', {
        metadata: { name: 'web', namespace: 'shop', uid: 'd1' },
        spec: { template: { spec: podSpec([{ name: 'app', image }]) } },
      }),
      res('Pod', 'v1', {
        metadata: { name: 'solo', namespace: 'tools', uid: 'p1' },
        spec: podSpec([{ name: 'main', image }]),
      }),
      res('Pod', 'v1', {
        metadata: { name: 'ghost', namespace: 'shop', uid: 'p2' },
        spec: podSpec([{ name: 'x', image: `${registry.host}/demo/missing:v1` }]),
      }),
    ];
    const progress: string[] = [];
    const scan = await scanClusterImages(resources, undefined, {
      scanners: ['vuln', 'secret'],
      db,
      concurrency: 2,
      credentialFor: async (r) => (r === registry.host ? login : undefined),
      onProgress: (m) => progress.push(m),
    });
    const direct = await scanImage(image, {
      scanners: ['vuln', 'secret'],
      db,
      imageSources: ['remote'],
      ...login,
    });
    expect(direct.findings.length).toBeGreaterThan(0);
    const digest = direct.target.digest!;

    expect(scan.images.map((i) => [i.reference, i.status])).toEqual([
      [`${registry.host}/demo/app:v1`, 'scanned'],
      [`${registry.host}/demo/missing:v1`, 'failed'],
    ]);
    expect(scan.images[0]).toMatchObject({ digest, credentials: 'credential-store' });

    for (const resource of ['Deployment/shop/web', 'Pod/tools/solo']) {
      const attached = scan.findings.filter((f) => f.location.resource === resource);
      expect(attached.map((f) => `${f.id} ${f.package?.name}`).sort()).toEqual(
        direct.findings.map((f) => `${f.id} ${f.package?.name}`).sort(),
      );
      for (const f of attached) expect(f.location.image).toBe(`${image}@${digest}`);
    }
    expect(scan.findings.find((f) => f.location.resource === 'Deployment/shop/web')?.location.container).toBe(
      'app',
    );

    const failed = scan.findings.filter((f) => f.id === 'STRATA-K8S-IMAGE-SCAN-FAILED');
    expect(failed.map((f) => [f.location.resource, f.location.container])).toEqual([['Pod/shop/ghost', 'x']]);
    expect(scan.errors).toHaveLength(1);
    expect(scan.errors[0]).toMatchObject({
      analyzer: 'kube/images',
      path: `${registry.host}/demo/missing:v1`,
    });
    expect(scan.errors[0]?.message).toContain('Pod/shop/ghost (x)');
    expect(progress.some((p) => p.includes('demo/missing:v1: failed'))).toBe(true);
  });

  it('names the registry refusal when no credentials are known, and bounds the number of images', async () => {
    const resources = ['a', 'b'].map((n) =>
      res('Pod', 'v1', {
        metadata: { name: n, namespace: 'x', uid: n },
        spec: podSpec([{ name: 'c', image: `${registry.host}/demo/${n}:1` }]),
      }),
    );
    const scan = await scanClusterImages(resources, undefined, { scanners: ['vuln'], db, maxImages: 1 });
    expect(scan.images.map((i) => i.status)).toEqual(['failed', 'skipped']);
    expect(scan.images[0]?.error).toMatch(/authentication required|401|unauthorized/i);
    expect(scan.images[1]?.error).toContain('--max-images');
    expect(scan.errors.map((e) => e.path)).toEqual([
      `${registry.host}/demo/a:1`,
      `${registry.host}/demo/b:1`,
    ]);
  });

  it('uses a stored result for a digest instead of pulling it again', async () => {
    const direct = await scanImage(image, { scanners: ['vuln'], db, imageSources: ['remote'], ...login });
    const asked: string[] = [];
    const scan = await scanClusterImages(
      [
        res('Pod', 'v1', {
          metadata: { name: 'p', namespace: 'x', uid: 'p' },
          spec: podSpec([{ name: 'c', image }]),
        }),
      ],
      undefined,
      {
        scanners: ['vuln'],
        db,
        credentialFor: async () => login,
        reuse: async (d) => {
          asked.push(d);
          return direct;
        },
      },
    );
    expect(asked).toEqual([direct.target.digest]);
    expect(scan.images[0]?.status).toBe('reused');
    expect(scan.findings).toHaveLength(direct.findings.length);
  });
});
