import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus, type ServerEvent } from '../events.js';
import { Metrics } from '../metrics.js';
import { SqliteStore } from '../store/sqlite.js';
import { generateToken } from '../tokens.js';
import { Worker } from '../worker.js';
import { buildApi } from './app.js';

const DEMO = `oci-archive:${resolve('examples/demo-image.tar')}`;
const quiet = { info() {}, error() {} };

describe('EventBus', () => {
  it('numbers events, keeps the last ones for replay and drops a listener that throws', () => {
    const bus = new EventBus(3);
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('broken');
    });
    bus.subscribe((e) => seen.push(e.id));
    for (let i = 0; i < 5; i++) bus.publish({ type: 'scan.done', message: `m${i}`, data: {} });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(bus.subscribers).toBe(1);
    expect(bus.since(0).map((e) => e.id)).toEqual([3, 4, 5]);
    expect(bus.since(4).map((e) => e.id)).toEqual([5]);
  });
});

describe('dashboard API', () => {
  let store: SqliteStore;
  let app: Awaited<ReturnType<typeof buildApi>>;
  let token: string;
  const bus = new EventBus();
  const events: ServerEvent[] = [];

  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    await store.migrate();
    const t = generateToken();
    await store.createToken({ id: t.id, name: 'r', scope: 'admin', hash: t.hash });
    token = t.secret;
    app = await buildApi({
      store,
      metrics: new Metrics(store),
      rateLimit: 6000,
      bodyLimit: 4096,
      logger: false,
      events: bus,
    });
    bus.subscribe((e) => events.push(e));
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const get = (url: string, auth = true) =>
    app.inject({ url, ...(auth ? { headers: { authorization: `Bearer ${token}` } } : {}) });

  it('aggregates a real scan into images, detail, findings, summary, SBOMs and live events', async () => {
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/scans',
      headers: { authorization: `Bearer ${token}` },
      payload: { target: DEMO, scanners: ['secret'] },
    });
    const { id } = posted.json();
    const worker = new Worker({ store, concurrency: 1, leaseSeconds: 30, pollMs: 50, log: quiet });
    worker.start();
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'findings.new'); i++)
      await new Promise((r) => setTimeout(r, 50));
    await worker.stop(1000);
    const done = events.find((e) => e.type === 'scan.done');
    expect(done?.data).toMatchObject({ scan: id, target: DEMO });
    const fresh = events.find((e) => e.type === 'findings.new');
    expect(fresh).toMatchObject({ severity: 'CRITICAL', data: { scan: id, count: 1 } });

    expect((await get('/api/v1/images', false)).statusCode).toBe(401);
    const images = (await get('/api/v1/images')).json();
    expect(images.items).toHaveLength(1);
    expect(images.items[0]).toMatchObject({ name: DEMO, scan: id, scans: 1, summary: { CRITICAL: 1 } });
    expect((await get('/api/v1/images?q=no-such')).json().items).toEqual([]);

    const detail = (await get(`/api/v1/images/detail?name=${encodeURIComponent(DEMO)}`)).json();
    expect(detail.layers.length).toBe(4);
    const added = detail.layers.flatMap((l: { packages: string[] }) => l.packages);
    expect(added.length).toBe(detail.packages.length);
    expect(detail.findings.map((f: { kind: string }) => f.kind)).toEqual(['secret']);
    expect(detail.signature.status).toBe('not-checked');
    expect(detail.sbom).toBe(true);
    expect((await get('/api/v1/images/detail?name=nope')).statusCode).toBe(404);

    expect((await get('/api/v1/findings/current?kind=secret')).json().total).toBe(1);
    expect((await get('/api/v1/findings/current?kind=vulnerability')).json().total).toBe(0);
    expect((await get('/api/v1/findings/current?kind=bogus')).statusCode).toBe(400);

    const summary = (await get('/api/v1/summary?days=7')).json();
    expect(summary.trend).toHaveLength(7);
    expect(summary.trend.at(-1).CRITICAL).toBe(1);
    expect(summary.doors.find((d: { id: string }) => d.id === 'image').counts.CRITICAL).toBe(1);
    expect(summary.topImages[0].name).toBe(DEMO);

    const digest = detail.digest as string;
    const cdx = await get(`/api/v1/inventories/${digest}/sbom?format=cyclonedx`);
    expect(cdx.headers['content-disposition']).toContain('attachment');
    expect(cdx.json().components.length).toBeGreaterThanOrEqual(detail.packages.length);
    expect((await get(`/api/v1/inventories/${digest}/sbom?format=spdx`)).json().spdxVersion).toBe('SPDX-2.3');
    expect((await get(`/api/v1/inventories/${digest}/sbom?format=xml`)).statusCode).toBe(400);
    expect((await get(`/api/v1/inventories/sha256:${'0'.repeat(64)}/sbom`)).statusCode).toBe(404);
    expect((await get('/api/v1/cluster-results')).json().items).toEqual([]);
  });

  it('streams the bus as server-sent events, replaying kept ones, and ends streams on close', async () => {
    bus.publish({ type: 'audit.alert', severity: 'HIGH', message: 'a privileged pod', data: { rule: 'x' } });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    expect((await fetch(`${address}/api/v1/events`)).status).toBe(401);
    const res = await fetch(`${address}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('a privileged pod')) text += (await reader.read()).value ?? '';
    bus.publish({ type: 'tag.mutated', message: 'live one', data: {} });
    while (!text.includes('live one')) text += (await reader.read()).value ?? '';
    expect(text).toMatch(/event: audit\.alert\ndata: \{.*"message":"a privileged pod"/);
    expect(text).toMatch(/event: tag\.mutated\ndata: /);
    await app.close();
    for (;;) if ((await reader.read()).done) break;
  });
});
