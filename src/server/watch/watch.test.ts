import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildResult } from '../../core/index.js';
import { watchJob } from '../jobs/watch-registry.js';
import { SqliteStore } from '../store/sqlite.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import type { ScanRequest, WatchStats } from './types.js';
import { diffTags, repositoryWanted } from './walk.js';

const stats: WatchStats = { repositories: 1, tags: 1, newDigests: 1, scansQueued: 0, moved: 0, mutated: 0 };
const empty = buildResult({ target: { type: 'registry', name: 'r.example:5000' } });
const D = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const scan = (digest: string): ScanRequest => ({
  digest,
  scanners: 'secret,vuln',
  type: 'scan-image',
  payload: { target: `r.example:5000/app@${digest}` },
  maxAttempts: 3,
});

describe('repositoryWanted', () => {
  it.each([
    [undefined, 'any/thing', true],
    [['team/*'], 'team/app', true],
    [['team/*'], 'team/app/sub', false],
    [['team/**'], 'team/app/sub', true],
    [['team/*', 'base'], 'base', true],
    [['team/*'], 'other/app', false],
  ])('%j wants %s: %s', (repositories, name, wanted) => {
    expect(repositoryWanted(repositories ? { repositories } : {}, name)).toBe(wanted);
  });
});

describe('diffTags', () => {
  const observed = (tags: { repository: string; tag: string; digest: string }[], failed: string[] = []) => ({
    repositories: [...new Set(tags.map((t) => t.repository))],
    tags,
    failed: new Set(failed),
    errors: [],
  });

  it('first run: every digest is new once, nothing moved', () => {
    const d = diffTags(
      [],
      observed([
        { repository: 'a', tag: '1', digest: D(1) },
        { repository: 'a', tag: 'latest', digest: D(1) },
        { repository: 'b', tag: '1', digest: D(2) },
      ]),
    );
    expect(d.moved).toEqual([]);
    expect(d.newDigests).toEqual([
      { digest: D(1), repository: 'a' },
      { digest: D(2), repository: 'b' },
    ]);
  });

  it('a tag on a new digest is a move and a new digest; a tag onto a known digest is a move only', () => {
    const prev = [
      { repository: 'a', tag: '1', digest: D(1) },
      { repository: 'a', tag: '2', digest: D(2) },
    ];
    const d = diffTags(
      prev,
      observed([
        { repository: 'a', tag: '1', digest: D(3) },
        { repository: 'a', tag: '2', digest: D(1) },
      ]),
    );
    expect(d.moved).toEqual([
      { repository: 'a', tag: '1', from: D(1), to: D(3) },
      { repository: 'a', tag: '2', from: D(2), to: D(1) },
    ]);
    expect(d.newDigests).toEqual([{ digest: D(3), repository: 'a' }]);
  });

  it('keeps the previous state of a repository that could not be read', () => {
    const prev = [{ repository: 'gone', tag: '1', digest: D(1) }];
    const d = diffTags(prev, observed([], ['gone']));
    expect(d.state).toEqual(prev);
    expect(d.moved).toEqual([]);
  });
});

describe('watch store (SQLite)', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    await store.migrate();
  });
  afterEach(() => store.close());

  const create = (interval = 60) =>
    store.watches.create({
      id: `w${interval}`,
      name: 'r',
      kind: 'registry',
      config: { registry: 'r.example:5000', insecure: true, scanners: ['vuln', 'secret'], pageSize: 100 },
      interval,
    });

  it('queues a due watch once, not again while its run is queued, and again an interval after', async () => {
    const w = await create(60);
    const t = Date.now();
    const first = await store.watches.claimDue(t, watchJob, 10);
    expect(first).toEqual([{ watchId: w.id, jobId: expect.any(String) }]);
    expect(await store.getJob(first[0]?.jobId ?? '')).toMatchObject({
      type: 'watch-registry',
      payload: { watch: w.id, run: first[0]?.jobId, target: 'r.example:5000' },
      maxAttempts: 2,
    });
    expect(await store.watches.claimDue(t + 1000, watchJob, 10)).toEqual([]);
    // due again, but the first run has not ended: skipped, not piled up
    expect(await store.watches.claimDue(t + 61_000, watchJob, 10)).toEqual([]);
    const job = await store.claimJob(['watch-registry'], 30);
    await store.failJob(job?.id ?? '', job?.lease ?? '', 'x');
    const again = await store.claimJob(['watch-registry'], 30);
    await store.failJob(again?.id ?? '', again?.lease ?? '', 'registry down');
    expect((await store.getJob(first[0]?.jobId ?? ''))?.status).toBe('failed');
    expect(await store.watches.claimDue(t + 122_000, watchJob, 10)).toHaveLength(1);
  });

  it('runNow queues one run, or names the one already queued', async () => {
    const w = await create();
    const a = await store.watches.runNow(w.id, watchJob);
    expect(a).toMatchObject({ queued: true });
    expect(await store.watches.runNow(w.id, watchJob)).toEqual({ jobId: a?.jobId, queued: false });
    expect(await store.watches.runNow('nope', watchJob)).toBeUndefined();
  });

  it('writes a run once; a digest with a scanner set is queued once (again only after a failed scan)', async () => {
    const w = await create();
    const tags = [{ repository: 'app', tag: '1', digest: D(1) }];
    const commit = { watchId: w.id, tags, alerts: [], result: empty, stats };
    const one = await store.watches.commitRun({ ...commit, runId: 'r1', scans: [scan(D(1)), scan(D(1))] });
    expect(one).toMatchObject({ written: true, queued: [expect.any(String)] });
    expect(await store.watches.commitRun({ ...commit, runId: 'r1', scans: [scan(D(1))] })).toEqual({
      written: false,
      queued: [],
    });
    expect((await store.watches.getRun('r1'))?.stats.scansQueued).toBe(1);
    expect((await store.watches.get(w.id))?.lastStats?.scansQueued).toBe(1);
    expect(await store.watches.tagState(w.id)).toEqual(tags);
    expect((await store.watches.commitRun({ ...commit, runId: 'r2', scans: [scan(D(1))] })).queued).toEqual(
      [],
    );
    const job = await store.claimJob(['scan-image'], 30);
    for (let i = 0; i < 3; i++) {
      const j = i === 0 ? job : await store.claimJob(['scan-image'], 30);
      await store.failJob(j?.id ?? '', j?.lease ?? '', 'boom');
    }
    expect((await store.getJob(one.queued[0] ?? ''))?.status).toBe('failed');
    expect(
      (await store.watches.commitRun({ ...commit, runId: 'r3', scans: [scan(D(1))] })).queued,
    ).toHaveLength(1);
  });

  it('lists alerts newest first and hands alert-level ones out once until delivered or the lease ends', async () => {
    const w = await create();
    const alert = (kind: string, level: 'alert' | 'info') => ({
      kind,
      level,
      subject: 'r.example:5000/app:1',
      message: kind,
      details: { tag: 'r.example:5000/app:1' },
    });
    await store.watches.commitRun({
      watchId: w.id,
      runId: 'r1',
      tags: [],
      alerts: [alert('tag-mutated', 'alert'), alert('tag-moved', 'info')],
      scans: [],
      result: empty,
      stats,
    });
    const all = await store.watches.listAlerts({ limit: 10 });
    expect(all.map((a) => [a.seq, a.kind])).toEqual([
      [2, 'tag-moved'],
      [1, 'tag-mutated'],
    ]);
    expect(await store.watches.listAlerts({ after: 1, limit: 10 })).toHaveLength(1);
    expect(await store.watches.listAlerts({ level: 'alert', limit: 10 })).toMatchObject([{ jobId: 'r1' }]);
    // a lease that ran out (the notifier threw, the server stopped): handed out again
    expect((await store.watches.claimAlerts(-1000, 10)).map((a) => a.kind)).toEqual(['tag-mutated']);
    const claimed = await store.watches.claimAlerts(60_000, 10);
    expect(claimed.map((a) => a.kind)).toEqual(['tag-mutated']);
    expect(await store.watches.claimAlerts(60_000, 10)).toEqual([]);
    await store.watches.markDispatched(claimed.map((a) => a.id));
    expect(await store.watches.claimAlerts(-1000, 10)).toEqual([]);
  });
});

describe('watch API', () => {
  let api: TestApi;
  let app: TestApi['app'];

  beforeEach(async () => {
    api = await startTestApi({ bodyLimit: 65536 });
    ({ app } = api);
  });
  afterEach(() => api.close());
  const call: TestApi['call'] = (...args) => api.call(...args);

  it('creates (admin only), lists, runs and deletes a watch', async () => {
    const body = { kind: 'registry', registry: '127.0.0.1:5000', interval: 60, repositories: ['team/*'] };
    expect((await call('POST', '/api/v1/watches', 'scan', body)).statusCode).toBe(403);
    const created = await call('POST', '/api/v1/watches', 'admin', body);
    expect(created.statusCode, created.body).toBe(201);
    const w = created.json();
    expect(w).toMatchObject({
      name: '127.0.0.1:5000',
      kind: 'registry',
      insecure: false,
      pageSize: 100,
      scanners: ['vuln', 'secret'],
      repositories: ['team/*'],
    });
    expect((await call('GET', '/api/v1/watches', 'read')).json().items).toHaveLength(1);
    const run = await call('POST', `/api/v1/watches/${w.id}/run`, 'admin');
    expect(run.statusCode).toBe(202);
    expect((await call('GET', `/api/v1/watches/${w.id}`, 'read')).json().lastJob).toEqual({
      id: run.json().id,
      status: 'queued',
    });
    expect((await call('DELETE', `/api/v1/watches/${w.id}`, 'scan')).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/watches/${w.id}`, 'admin')).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/watches/${w.id}`, 'read')).statusCode).toBe(404);
  });

  it.each([
    [{ kind: 'registry', registry: '127.0.0.1:5000', interval: 1 }, /interval must be >= 10/],
    [{ kind: 'registry', registry: 'http://x/', interval: 60 }, /registry must match pattern/],
    [{ kind: 'cluster', registry: 'x', interval: 60 }, /kind must be equal to one of the allowed values/],
    [{ kind: 'registry', registry: 'x', interval: 60, extra: 1 }, /must NOT have additional properties/],
    [{ kind: 'registry', registry: 'x', interval: 60, policy: 'policies: 3' }, /^policy: watch x: policy: /],
    [
      { kind: 'registry', registry: 'x', interval: 60, policy: 'policies:\n  - images: ["x/*"]\n' },
      /give "keys" or "keyless"/,
    ],
  ])('refuses %j with one clear message', async (body, message) => {
    const r = await call('POST', '/api/v1/watches', 'admin', body);
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(message);
  });

  it('documents the watch and alert routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/watches',
        '/api/v1/watches/{id}',
        '/api/v1/watches/{id}/run',
        '/api/v1/alerts',
      ]),
    );
    expect(doc.paths['/api/v1/watches'].post['x-strata-scope']).toBe('admin');
    expect(doc.paths['/api/v1/alerts'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'after',
      'kind',
      'level',
      'watch',
      'limit',
    ]);
  });
});
