import { describe, expect, it } from 'vitest';
import { toKubeResource } from '../cluster/convert.js';
import { workloadImages } from './images.js';

const res = (kind: string, apiVersion: string, object: Record<string, unknown>) =>
  toKubeResource(object, kind, apiVersion, 'cluster:test')!;

const DIGEST = `sha256:${'a'.repeat(64)}`;
const deployment = res('Deployment', 'apps/v1', {
  metadata: { name: 'web', namespace: 'shop', uid: 'd1' },
  spec: {
    template: {
      spec: {
        imagePullSecrets: [{ name: 'regcred' }],
        initContainers: [{ name: 'migrate', image: 'reg.example/shop/migrate:3' }],
        containers: [{ name: 'app', image: 'reg.example/shop/web:1' }],
      },
    },
  },
});
const replicaSet = res('ReplicaSet', 'apps/v1', {
  metadata: {
    name: 'web-5f7',
    namespace: 'shop',
    uid: 'r1',
    ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'd1', controller: true }],
  },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'reg.example/shop/web:1' }] } } },
});
const pod = (name: string, status?: object) =>
  res('Pod', 'v1', {
    metadata: {
      name,
      namespace: 'shop',
      uid: `p-${name}`,
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5f7', uid: 'r1', controller: true }],
    },
    spec: { serviceAccountName: 'builder', containers: [{ name: 'app', image: 'reg.example/shop/web:1' }] },
    ...(status ? { status } : {}),
  });
const account = res('ServiceAccount', 'v1', {
  metadata: { name: 'builder', namespace: 'shop' },
  imagePullSecrets: [{ name: 'sa-cred' }],
});

describe('workloadImages', () => {
  it('attributes the images of a Deployment, its ReplicaSet and its Pods to the Deployment, once', () => {
    const uses = workloadImages([deployment, replicaSet, pod('web-a'), pod('web-b'), account]);
    expect(uses.map((u) => [u.resource, u.container, u.containerKind, u.image])).toEqual([
      ['Deployment/shop/web', 'migrate', 'initContainers', 'reg.example/shop/migrate:3'],
      ['Deployment/shop/web', 'app', 'containers', 'reg.example/shop/web:1'],
    ]);
  });

  it('keeps the digest a pod reports running, and the pull secrets of its service account', () => {
    const running = pod('web-a', {
      containerStatuses: [{ name: 'app', imageID: `reg.example/shop/web@${DIGEST}` }],
    });
    const uses = workloadImages([deployment, replicaSet, running, account]);
    const fromPod = uses.find((u) => u.runningDigest);
    expect(fromPod).toMatchObject({
      resource: 'Deployment/shop/web',
      container: 'app',
      runningDigest: DIGEST,
      pullSecrets: ['sa-cred'],
    });
    expect(uses.find((u) => u.container === 'migrate')?.pullSecrets).toEqual(['regcred']);
  });

  it('stops at the highest owner it collected (an owner outside the namespace or unreadable)', () => {
    const uses = workloadImages([pod('orphan')]);
    expect(uses.map((u) => u.resource)).toEqual(['Pod/shop/orphan']);
  });

  it('attributes a Job of a CronJob to the CronJob and skips containers without an image', () => {
    const cron = res('CronJob', 'batch/v1', {
      metadata: { name: 'nightly', namespace: 'ops', uid: 'c1' },
      spec: {
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'run', image: 'busybox' }] } } } },
      },
    });
    const job = res('Job', 'batch/v1', {
      metadata: {
        name: 'nightly-1',
        namespace: 'ops',
        uid: 'j1',
        ownerReferences: [{ kind: 'CronJob', name: 'nightly', uid: 'c1', controller: true }],
      },
      spec: { template: { spec: { containers: [{ name: 'run', image: 'busybox' }, { name: 'empty' }] } } },
    });
    expect(workloadImages([cron, job]).map((u) => `${u.resource} ${u.container} ${u.image}`)).toEqual([
      'CronJob/ops/nightly run busybox',
    ]);
  });

  it('ends on an ownership cycle instead of looping', () => {
    const a = res('ReplicaSet', 'apps/v1', {
      metadata: { name: 'a', namespace: 'x', uid: 'ua', ownerReferences: [{ uid: 'ub', controller: true }] },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'img' }] } } },
    });
    const b = res('ReplicaSet', 'apps/v1', {
      metadata: { name: 'b', namespace: 'x', uid: 'ub', ownerReferences: [{ uid: 'ua', controller: true }] },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'img' }] } } },
    });
    expect(workloadImages([a, b]).length).toBeGreaterThan(0);
  });
});
