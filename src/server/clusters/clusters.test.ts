import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterImage } from '../../scan/index.js';
import type { SqliteStore } from '../store/sqlite.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import { clusterChanges } from './changes.js';
import { checkStoredKubeconfig } from './kubeconfig.js';
import { ClusterWatcher } from './watch.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;
const image = (reference: string, digest: string, workloads: [string, string, string][]): ClusterImage => ({
  reference,
  digest,
  status: 'scanned',
  findings: 0,
  workloads: workloads.map(([resource, container, img]) => ({ resource, container, image: img })),
});

describe('clusterChanges', () => {
  it('names workloads whose image moved, appeared or went away, and the digests new to the cluster', () => {
    const before = [
      image('r/web:1', D1, [
        ['Deployment/shop/web', 'app', 'r/web:1'],
        ['Deployment/shop/old', 'app', 'r/web:1'],
      ]),
      image('r/db:1', D2, [['StatefulSet/shop/db', 'db', 'r/db:1']]),
    ];
    const after = [
      image('r/web:1', D3, [['Deployment/shop/web', 'app', 'r/web:1']]),
      image('r/db:1', D2, [['StatefulSet/shop/db', 'db', 'r/db:1']]),
      image('r/api:2', D2, [['Deployment/api/api', 'main', 'r/api:2']]),
    ];
    const changes = clusterChanges(after, { jobId: 'j1', images: before });
    expect(changes).toEqual({
      previousScan: 'j1',
      added: [{ resource: 'Deployment/api/api', container: 'main', images: [`r/api:2@${D2}`] }],
      removed: [{ resource: 'Deployment/shop/old', container: 'app', images: [`r/web:1@${D1}`] }],
      changed: [
        { resource: 'Deployment/shop/web', container: 'app', from: [`r/web:1@${D1}`], to: [`r/web:1@${D3}`] },
      ],
      newImages: [D3],
    });
  });

  it('on the first scan lists every workload as added and every digest as new', () => {
    const changes = clusterChanges([image('r/a:1', D1, [['Pod/x/a', 'c', 'r/a:1']])], undefined);
    expect(changes.previousScan).toBeNull();
    expect(changes.added).toHaveLength(1);
    expect(changes.newImages).toEqual([D1]);
  });
});

describe('stored kubeconfigs', () => {
  it.each([
    [
      'users:\n- name: u\n  user:\n    exec: { command: /bin/sh }\n',
      'users[0].user.exec would run a program',
    ],
    ['users:\n- name: u\n  user: { tokenFile: /etc/shadow }\n', 'users[0].user.tokenFile names a file'],
    [
      'clusters:\n- name: c\n  cluster: { certificate-authority: /etc/ca.pem }\n',
      'clusters[0].cluster.certificate-authority',
    ],
    ['users:\n- name: u\n  user:\n    auth-provider: { name: gcp }\n', 'auth-provider is not supported'],
    ['- just\n- a list\n', 'not a mapping'],
    ['a: [unclosed\n', 'not YAML'],
  ])('refuses %j naming the field', (text, message) => {
    expect(() => checkStoredKubeconfig(text)).toThrow(message);
  });
});

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }
users:
- name: u
  user: { token: secret-token-value-1234 }
contexts:
- name: ctx
  context: { cluster: c, user: u }
current-context: ctx
`;

describe('the /api/v1/clusters routes', () => {
  let api: TestApi;
  let store: SqliteStore;
  let app: TestApi['app'];
  const queued: string[] = [];

  beforeEach(async () => {
    api = await startTestApi({
      bodyLimit: 65536,
      onQueued: (id) => queued.push(id),
    });
    ({ store, app } = api);
  });
  afterEach(() => api.close());
  const call: TestApi['call'] = (...args) => api.call(...args);

  it('stores a cluster for admins only and never returns its kubeconfig', async () => {
    const body = { name: 'prod-eu', kubeconfig: KUBECONFIG, namespace: 'shop', watchSeconds: 60 };
    expect((await call('POST', '/api/v1/clusters', 'scan', body)).statusCode).toBe(403);
    const created = await call('POST', '/api/v1/clusters', 'admin', body);
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ name: 'prod-eu', settings: { namespace: 'shop' }, watchSeconds: 60 });
    expect((await call('POST', '/api/v1/clusters', 'admin', body)).statusCode).toBe(409);

    const list = await call('GET', '/api/v1/clusters', 'read');
    expect(list.json().items.map((s: { name: string }) => s.name)).toEqual(['prod-eu']);
    const one = await call('GET', `/api/v1/clusters/${c.id}`, 'read');
    for (const r of [created, list, one]) {
      expect(r.body).not.toContain('secret-token-value-1234');
      expect(r.body).not.toContain('kubeconfig');
    }
    const spec = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(spec.paths['/api/v1/clusters'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(spec.paths['/api/v1/clusters/{id}'])).toEqual(
      expect.arrayContaining(['get', 'delete']),
    );
    expect(spec.paths['/api/v1/clusters/{id}/scans']).toBeDefined();

    expect((await call('DELETE', `/api/v1/clusters/${c.id}`, 'read')).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/clusters/${c.id}`, 'admin')).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/clusters/${c.id}`, 'read')).statusCode).toBe(404);
  });

  it('refuses a kubeconfig that is not self-contained or names no usable context, with the field', async () => {
    const exec = await call('POST', '/api/v1/clusters', 'admin', {
      name: 'x',
      kubeconfig: `${KUBECONFIG.replace('{ token: secret-token-value-1234 }', '{ exec: { command: id } }')}`,
    });
    expect(exec.statusCode).toBe(400);
    expect(exec.json().message).toContain('users[0].user.exec');
    const ctx = await call('POST', '/api/v1/clusters', 'admin', {
      name: 'y',
      kubeconfig: KUBECONFIG,
      context: 'nope',
    });
    expect(ctx.statusCode).toBe(400);
    expect(ctx.json().message).toContain('nope');
  });

  it('queues scans on request and by its watch, one at a time, each interval once', async () => {
    const c = (
      await call('POST', '/api/v1/clusters', 'admin', { name: 'w', kubeconfig: KUBECONFIG, watchSeconds: 30 })
    ).json();
    const asked = await call('POST', `/api/v1/clusters/${c.id}/scans`, 'scan');
    expect(asked.statusCode).toBe(202);
    expect((await store.getJob(asked.json().id))?.type).toBe('scan-cluster');
    const listed = (await call('GET', '/api/v1/scans', 'read')).json().items;
    expect(listed).toEqual([expect.objectContaining({ kind: 'scan-cluster', target: 'w' })]);

    const log = { info() {}, error() {} };
    const a = new ClusterWatcher({ store, log });
    const b = new ClusterWatcher({ store, log });
    const t = Date.now() + 1000;
    const [first, second] = await Promise.all([a.tick(t), b.tick(t)]);
    expect([...first, ...second]).toHaveLength(1);
    // the watch scan is still queued: the next interval waits for it
    expect(await a.tick(t + 31_000)).toEqual([]);
    const job = (first[0] ?? second[0]) as string;
    await store.recordClusterScan({ jobId: job, clusterId: c.id, images: [], changes: null });
    const history = await call('GET', `/api/v1/clusters/${c.id}/scans`, 'read');
    expect(history.json().items).toEqual([
      expect.objectContaining({ scan: job, status: 'queued', images: [], changes: null }),
    ]);
  });
});
