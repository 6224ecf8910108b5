import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { RegistryClient } from '../../src/image/index.js';
import { openStore, parseDatabase, SqliteStore, serve } from '../../src/server/index.js';
import { watchRegistryJob } from '../../src/server/jobs/index.js';
import { generateToken } from '../../src/server/tokens.js';
import type { AlertEvent } from '../../src/server/watch/notify.js';
import { signImage } from '../../src/trust/index.js';
import { postgresBin, startPostgres } from '../support/postgres.js';
import { sleep, until } from '../support/processes.js';
import {
  buildImage,
  freePort,
  type RunningRegistry,
  skopeoCopy,
  startRegistry,
} from '../support/registry.js';

let registry: RunningRegistry;
let work: string;
const team = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const layouts: Record<string, { layout: string; digest: string }> = {};

/** Pushes the image `name` (built once) as REPO:TAG with skopeo; a second push of a tag re-tags it. */
async function push(name: string, repoTag: string): Promise<string> {
  const built = layouts[name];
  if (!built) throw new Error(name);
  await skopeoCopy(`oci:${built.layout}:v1`, `docker://${registry.host}/${repoTag}`, { format: 'oci' });
  return built.digest;
}

/** A fresh registry for one test: team/app:1 and :latest, team/lib:1, and other/a, b, c. */
async function setupRegistry(): Promise<void> {
  registry = await startRegistry();
  onTestFinished(() => registry.stop());
  await push('one', 'team/app:1');
  await push('one', 'team/app:latest');
  await push('lib', 'team/lib:1');
  // the same digest in three more repositories: five repositories, pages of two
  for (const r of ['other/a', 'other/b', 'other/c']) await push('one', `${r}:1`);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-watch-'));
  for (const name of ['one', 'two', 'three', 'lib']) {
    const layout = join(work, `layout-${name}`);
    const b = buildImage(layout, 'v1', {
      layers: [{ files: { [`etc/${name}`]: `${name} content` }, createdBy: `ADD ${name}` }],
    });
    layouts[name] = { layout, digest: b.manifestDigest };
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const policy = () => `policies:
  - name: team
    images: ["${registry.host}/team/*"]
    keys:
      - ${JSON.stringify(team.publicKey.export({ format: 'pem', type: 'spki' }).toString())}
`;

interface Api {
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: object,
  ): Promise<{ status: number; body: T }>;
}

interface Scan {
  id: string;
  kind: string;
  target?: string;
  status: string;
  error?: string;
}

async function startServer(database: string, events: AlertEvent[], webhook?: string) {
  const store = await openStore(parseDatabase(database));
  const t = generateToken();
  await store.createToken({ id: t.id, name: 'admin', scope: 'admin', hash: t.hash });
  await store.close();
  const listen = `127.0.0.1:${await freePort()}`;
  const running = await serve({
    listen,
    database,
    concurrency: 2,
    rateLimit: 100_000,
    bodyLimit: 65536,
    leaseSeconds: 30,
    shutdownGraceMs: 5000,
    logger: false,
    watchTickMs: 200,
    // the real webhook path when a receiver is given, else the hook itself
    ...(webhook
      ? { webhooks: [{ url: webhook, format: 'json' as const }], notifyRetryMs: 200 }
      : {
          notify: async (e: AlertEvent) => {
            events.push(e);
          },
        }),
  });
  const api: Api = {
    async call(method, path, body) {
      const res = await fetch(`http://${listen}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${t.secret}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
  return { running, api };
}

const scans = async (api: Api) =>
  (await api.call<{ items: Scan[] }>('GET', '/api/v1/scans?limit=1000')).body.items;

/** Queues a run of the watch now and waits for it to end; returns the job. */
async function runWatch(api: Api, watch: string): Promise<Scan> {
  const run = await api.call<{ id: string }>('POST', `/api/v1/watches/${watch}/run`);
  expect(run.status).toBe(202);
  const job = await until('the watch run', async () => {
    const s = (await api.call<Scan>('GET', `/api/v1/scans/${run.body.id}`)).body;
    return s.status === 'done' || s.status === 'failed' ? s : undefined;
  });
  expect(job).toMatchObject({ kind: 'watch-registry', target: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
  return job;
}

/** Waits until every scan has ended; returns the image scans by target. */
async function settled(api: Api): Promise<Map<string, Scan[]>> {
  const all = await until('every scan to end', async () => {
    const items = await scans(api);
    return items.every((s) => s.status === 'done' || s.status === 'failed') ? items : undefined;
  });
  const byTarget = new Map<string, Scan[]>();
  for (const s of all.filter((x) => x.kind === 'scan-image'))
    byTarget.set(s.target ?? '', [...(byTarget.get(s.target ?? '') ?? []), s]);
  return byTarget;
}

/** The registry scenario: first run, a tag moved to a signed digest, then to an unsigned one. */
async function scenario(api: Api, notified: (alert: AlertEvent) => Promise<void>): Promise<void> {
  const { one, two, three, lib } = {
    one: layouts.one?.digest,
    two: layouts.two?.digest,
    three: layouts.three?.digest,
    lib: layouts.lib?.digest,
  };
  const created = await api.call<{ id: string }>('POST', '/api/v1/watches', {
    kind: 'registry',
    registry: registry.host,
    interval: 3600,
    insecure: true,
    scanners: ['secret'],
    pageSize: 2,
    policy: policy(),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const watch = created.body.id;
  // the scheduler runs a new watch at once
  const first = await until('the first run', async () => {
    const w = (
      await api.call<{ lastJob?: { status: string }; lastStats?: object }>('GET', `/api/v1/watches/${watch}`)
    ).body;
    return w.lastJob?.status === 'done' ? w : undefined;
  });
  // five repositories over three catalog pages of two; 6 tags; two distinct digests
  expect(first.lastStats).toEqual({
    repositories: 5,
    tags: 6,
    newDigests: 2,
    scansQueued: 2,
    moved: 0,
    mutated: 0,
  });
  let byTarget = await settled(api);
  expect([...byTarget.keys()].sort()).toEqual(
    [`${registry.host}/other/a@${one}`, `${registry.host}/team/lib@${lib}`].sort(),
  );
  for (const s of byTarget.values()) expect(s.map((x) => x.status)).toEqual(['done']);

  // team/app:1 moves to a digest signed under the policy: an info event, no finding
  await push('two', 'team/app:build-2');
  const client = new RegistryClient({ insecure: true });
  await signImage(`${registry.host}/team/app@${two}`, { client, key: team.privateKey });
  await client.close();
  await push('two', 'team/app:1');
  expect((await runWatch(api, watch)).status).toBe('done');
  const moved = (await api.call<{ items: AlertEvent[] }>('GET', `/api/v1/alerts?watch=${watch}`)).body.items;
  expect(moved).toEqual([
    expect.objectContaining({
      kind: 'tag-moved',
      level: 'info',
      subject: `${registry.host}/team/app:1`,
      details: expect.objectContaining({ oldDigest: one, newDigest: two, verified: true }),
    }),
  ]);
  const noFinding = await api.call<{ items: unknown[] }>('GET', '/api/v1/findings?advisory=TAG-MUTATED');
  expect(noFinding.body.items).toEqual([]);

  // team/app:1 moves again, to an unsigned digest: exactly one TAG-MUTATED finding and one alert
  await push('three', 'team/app:1');
  expect((await runWatch(api, watch)).status).toBe('done');
  expect((await runWatch(api, watch)).status).toBe('done'); // nothing changed: nothing new
  const findings = (
    await api.call<{ items: { image: string; finding: Record<string, unknown> }[] }>(
      'GET',
      '/api/v1/findings?advisory=TAG-MUTATED',
    )
  ).body.items;
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject({
    image: registry.host,
    finding: {
      id: 'TAG-MUTATED',
      kind: 'signature',
      severity: 'HIGH',
      location: { resource: `${registry.host}/team/app:1` },
      evidence: {
        tag: `${registry.host}/team/app:1`,
        oldDigest: two,
        newDigest: three,
        reason: expect.stringMatching(/^team: no signatures found/),
      },
    },
  });
  const alerts = (await api.call<{ items: AlertEvent[] }>('GET', `/api/v1/alerts?level=alert`)).body.items;
  expect(alerts).toEqual([
    expect.objectContaining({
      kind: 'tag-mutated',
      severity: 'HIGH',
      subject: `${registry.host}/team/app:1`,
    }),
  ]);
  await notified(alerts[0] as AlertEvent);

  // every digest was scanned exactly once: one, lib, two (and its build tag), three
  byTarget = await settled(api);
  const scanned = [...byTarget.keys()].map((t) => t.split('@')[1]).sort();
  expect(scanned).toEqual([one, lib, two, three].sort());
  for (const s of byTarget.values()) expect(s.map((x) => x.status)).toEqual(['done']);
}

/** A watch on a registry that is down: its run fails with a clear error, and runs again next interval. */
async function registryDown(api: Api): Promise<void> {
  const port = await freePort();
  const created = await api.call<{ id: string }>('POST', '/api/v1/watches', {
    kind: 'registry',
    registry: `127.0.0.1:${port}`,
    interval: 10,
    insecure: true,
  });
  expect(created.status).toBe(201);
  const watch = created.body.id;
  const failed = await until(
    'the run to fail',
    async () => {
      const w = (
        await api.call<{ lastJob?: { id: string; status: string; error?: string } }>(
          'GET',
          `/api/v1/watches/${watch}`,
        )
      ).body;
      return w.lastJob?.status === 'failed' ? w.lastJob : undefined;
    },
    60_000,
  );
  expect(failed.error).toMatch(new RegExp(`^cannot reach 127\\.0\\.0\\.1:${port}`));
  const next = await until(
    'the next run',
    async () => {
      const w = (await api.call<{ lastJob?: { id: string } }>('GET', `/api/v1/watches/${watch}`)).body;
      return w.lastJob && w.lastJob.id !== failed.id ? w.lastJob : undefined;
    },
    30_000,
  );
  expect(next.id).not.toBe(failed.id);
  expect((await api.call('DELETE', `/api/v1/watches/${watch}`)).status).toBe(204);
}

describe('registry watches on the embedded store', () => {
  it('scans new digests once, accepts a signed move, records one TAG-MUTATED for an unsigned one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'strata-watch-db-'));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    await setupRegistry();
    // a webhook receiver that answers 503 once, then 200: the alert is delivered, retried, keyed by its id
    const received: { key: string; body: Record<string, unknown> }[] = [];
    let refused = 0;
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        if (refused++ === 0) {
          res.writeHead(503).end();
          return;
        }
        received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => receiver.close(() => r())));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
    const { running, api } = await startServer(join(home, 'server.db'), [], hook);
    try {
      await scenario(api, async () => {
        await until('the webhook delivery', async () => (received.length > 0 ? true : undefined));
        expect(received).toEqual([
          {
            key: expect.stringMatching(/^[0-9a-f]{64}$/),
            // src/notify's JSON body: the fleet event is its `details`
            body: expect.objectContaining({
              kind: 'message',
              idempotencyKey: expect.stringMatching(/^[0-9a-f]{64}$/),
              details: expect.objectContaining({
                type: 'tag.mutated',
                image: `${registry.host}/team/app:1`,
                previousDigest: layouts.two?.digest,
                digest: layouts.three?.digest,
                reason: expect.stringMatching(/^team: no signatures found/),
              }),
            }),
          },
        ]);
      });
      // refused once (503), delivered on the retry with the same key
      expect(refused).toBe(2);
      await registryDown(api);
    } finally {
      await running.close();
    }
  }, 180_000);
});

describe('a run retried after its worker died', () => {
  it('returns the run already written: no second finding, alert or scan', async () => {
    await setupRegistry();
    const store = new SqliteStore(':memory:');
    await store.migrate();
    onTestFinished(() => store.close());
    const w = await store.watches.create({
      id: 'w',
      name: 'w',
      kind: 'registry',
      config: {
        registry: registry.host,
        insecure: true,
        scanners: ['secret'],
        pageSize: 100,
        policy: policy(),
      },
      interval: 3600,
    });
    const ctx = { store, signal: new AbortController().signal };
    await watchRegistryJob.run({ watch: w.id, run: 'r1' }, ctx);
    await push('three', 'team/app:1');
    const first = await watchRegistryJob.run({ watch: w.id, run: 'r2' }, ctx);
    // the worker was killed after the run's commit, before the job was marked done: the lease
    // expires and another worker runs the same run again
    const again = await watchRegistryJob.run({ watch: w.id, run: 'r2' }, ctx);
    expect(again).toEqual(first);
    expect((first.result?.findings ?? []).map((f) => [f.id, f.location.resource])).toEqual([
      ['TAG-MUTATED', `${registry.host}/team/app:1`],
    ]);
    expect(await store.watches.listAlerts({ level: 'alert', limit: 10 })).toHaveLength(1);
    const queued = (await store.listJobs({ limit: 100 })).filter((j) => j.type === 'scan-image');
    expect(queued.map((j) => String(j.payload.target).split('@')[1]).sort()).toEqual(
      [layouts.one?.digest, layouts.lib?.digest, layouts.three?.digest].sort(),
    );
  }, 120_000);
});

describe('a registry that needs credentials', () => {
  it('walks it and scans with the stored credentials, never returned by the API', async () => {
    const auth = { username: 'watcher', password: 'watch-secret-pw' };
    const locked = await startRegistry({ auth });
    onTestFinished(() => locked.stop());
    await skopeoCopy(`oci:${layouts.lib?.layout}:v1`, `docker://${locked.host}/private/lib:1`, {
      destCreds: `${auth.username}:${auth.password}`,
    });
    const home = mkdtempSync(join(tmpdir(), 'strata-watch-db-'));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    const { running, api } = await startServer(join(home, 'server.db'), []);
    try {
      const body = {
        kind: 'registry',
        registry: locked.host,
        interval: 3600,
        insecure: true,
        scanners: ['secret'],
      };
      // without credentials the registry refuses the catalog: the run fails, saying why
      const w1 = await api.call<{ id: string }>('POST', '/api/v1/watches', body);
      const refused = await runWatch(api, w1.body.id);
      expect(refused.status).toBe('failed');
      expect(refused.error).toMatch(/_catalog: authentication required/);
      const cred = await api.call('POST', '/api/v1/credentials', { registry: locked.host, ...auth });
      expect(cred.status).toBe(201);
      expect(JSON.stringify(cred.body)).not.toContain(auth.password);
      const done = await runWatch(api, w1.body.id);
      expect(done).toMatchObject({ status: 'done' });
      const w = (await api.call<{ lastStats: object }>('GET', `/api/v1/watches/${w1.body.id}`)).body;
      expect(JSON.stringify(w)).not.toContain(auth.password);
      expect(w.lastStats).toMatchObject({ repositories: 1, tags: 1, newDigests: 1, scansQueued: 1 });
      const byTarget = await settled(api);
      expect([...byTarget.entries()].map(([t, s]) => [t, s.map((x) => x.status)])).toEqual([
        [`${locked.host}/private/lib@${layouts.lib?.digest}`, ['done']],
      ]);
    } finally {
      await running.close();
    }
  }, 120_000);
});

describe.skipIf(!postgresBin())('registry watches on PostgreSQL with two servers', () => {
  it('one scheduler acts; the same scenario holds', async () => {
    await setupRegistry();
    const pg = await startPostgres();
    onTestFinished(() => pg.destroy());
    const events: AlertEvent[] = [];
    const a = await startServer(pg.url, events);
    const b = await startServer(pg.url, events);
    try {
      const created = await a.api.call<{ id: string }>('POST', '/api/v1/watches', {
        kind: 'registry',
        registry: registry.host,
        repositories: ['nothing/*'],
        interval: 10,
        insecure: true,
        scanners: ['secret'],
      });
      expect(created.status).toBe(201);
      // both schedulers tick every 200 ms: one run is queued, not two
      await sleep(2000);
      const runs = (await scans(b.api)).filter((s) => s.kind === 'watch-registry');
      expect(runs).toHaveLength(1);
      await until('that run', async () => ((await settled(a.api)) ? true : undefined));
      expect((await a.api.call('DELETE', `/api/v1/watches/${created.body.id}`)).status).toBe(204);
      await scenario(b.api, async (alert) => {
        // the hook got it (at least once: the alert id is its idempotency key)
        await until('the alert to be notified', async () => (events.length > 0 ? true : undefined));
        expect(new Set(events.map((e) => e.id))).toEqual(new Set([alert.id]));
      });
    } finally {
      await a.running.close();
      await b.running.close();
    }
  }, 240_000);
});
