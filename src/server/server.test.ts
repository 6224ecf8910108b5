import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeJson } from '../report/json.js';
import { finalizeResult, scanImage } from '../scan/index.js';
import { buildApi } from './api/app.js';
import { Metrics } from './metrics.js';
import { MIGRATIONS } from './store/migrations.js';
import { SqliteStore } from './store/sqlite.js';
import { createScopeTokens } from './testing/api.js';
import type { Scope } from './tokens.js';
import { Worker } from './worker.js';

const DEMO = `oci-archive:${resolve('examples/demo-image.tar')}`;
const quiet = { info() {}, error() {} };

describe('strata server API (embedded store)', () => {
  let store: SqliteStore;
  let app: Awaited<ReturnType<typeof buildApi>>;
  let tokens: Record<Scope, string>;

  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    expect(await store.migrate()).toBe(MIGRATIONS.length);
    expect(await store.migrate()).toBe(0);
    tokens = await createScopeTokens(store);
    app = await buildApi({
      store,
      metrics: new Metrics(store),
      rateLimit: 600,
      bodyLimit: 4096,
      logger: false,
    });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const call = (method: 'GET' | 'POST', url: string, scope?: Scope, payload?: object) =>
    app.inject({
      method,
      url,
      ...(scope ? { headers: { authorization: `Bearer ${tokens[scope]}` } } : {}),
      ...(payload ? { payload } : {}),
    });

  describe('tokens', () => {
    it('stores only the SHA-256 of a token', async () => {
      const rows = await store.listTokens();
      expect(JSON.stringify(rows)).not.toContain(tokens.admin);
    });
    it('refuses requests without a token, with an unknown one and with a revoked one', async () => {
      expect((await call('GET', '/api/v1/scans')).statusCode).toBe(401);
      const bad = await app.inject({
        url: '/api/v1/scans',
        headers: { authorization: 'Bearer strata_nope' },
      });
      expect(bad.statusCode).toBe(401);
      const read = (await store.listTokens()).find((t) => t.scope === 'read');
      await store.revokeToken(read?.id ?? '');
      expect((await call('GET', '/api/v1/scans', 'read')).statusCode).toBe(401);
    });
    it('enforces scopes: read cannot scan, scan cannot scan local paths', async () => {
      expect((await call('POST', '/api/v1/scans', 'read', { target: 'alpine' })).statusCode).toBe(403);
      expect((await call('POST', '/api/v1/scans', 'scan', { target: DEMO })).statusCode).toBe(403);
      expect((await call('POST', '/api/v1/scans', 'scan', { path: '/etc' })).statusCode).toBe(403);
      expect(
        (await call('POST', '/api/v1/scans', 'scan', { target: 'registry.example/app:1' })).statusCode,
      ).toBe(202);
    });
    it('limits requests per token', async () => {
      const small = await buildApi({
        store,
        metrics: new Metrics(store),
        rateLimit: 6,
        bodyLimit: 4096,
        logger: false,
      });
      const codes: number[] = [];
      for (let i = 0; i < 3; i++)
        codes.push(
          (await small.inject({ url: '/api/v1/scans', headers: { authorization: `Bearer ${tokens.read}` } }))
            .statusCode,
        );
      expect(codes).toEqual([200, 429, 429]);
      await small.close();
    });
  });

  describe('validation', () => {
    it.each([
      [{}, 400],
      [{ target: 'a', extra: 1 }, 400],
      [{ target: 'a', scanners: ['nope'] }, 400],
      [{ target: 'x'.repeat(5000) }, 413],
    ])('refuses body %# with %i', async (body, code) => {
      expect((await call('POST', '/api/v1/scans', 'admin', body)).statusCode).toBe(code);
    });
    it('serves an OpenAPI document naming every route', async () => {
      const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
      expect(doc.openapi).toBe('3.0.3');
      expect(Object.keys(doc.paths).sort()).toEqual([
        '/api/v1/alerts',
        '/api/v1/cluster-results',
        '/api/v1/cluster-results/detail',
        '/api/v1/clusters',
        '/api/v1/clusters/{id}',
        '/api/v1/clusters/{id}/scans',
        '/api/v1/credentials',
        '/api/v1/credentials/{id}',
        '/api/v1/db/update',
        '/api/v1/db/updates',
        '/api/v1/events',
        '/api/v1/findings',
        '/api/v1/findings/current',
        '/api/v1/images',
        '/api/v1/images/detail',
        '/api/v1/inventories/{digest}/sbom',
        '/api/v1/notifications',
        '/api/v1/notifications/deliveries',
        '/api/v1/notifications/{id}',
        '/api/v1/rematches',
        '/api/v1/rematches/{id}',
        '/api/v1/scans',
        '/api/v1/scans/{id}',
        '/api/v1/scans/{id}/diff',
        '/api/v1/summary',
        '/api/v1/watches',
        '/api/v1/watches/{id}',
        '/api/v1/watches/{id}/run',
      ]);
      expect(
        doc.paths['/api/v1/scans'].post.requestBody.content['application/json'].schema.properties.target.type,
      ).toBe('string');
    });
  });

  describe('credentials', () => {
    it('never returns the password', async () => {
      const created = await call('POST', '/api/v1/credentials', 'admin', {
        registry: 'r.example',
        username: 'u',
        password: 'hunter2',
      });
      expect(created.statusCode).toBe(201);
      const list = await call('GET', '/api/v1/credentials', 'admin');
      expect(list.body).not.toContain('hunter2');
      expect(created.body).not.toContain('hunter2');
      expect(await store.credentialFor('r.example')).toEqual({ username: 'u', password: 'hunter2' });
      expect((await call('GET', '/api/v1/credentials', 'scan')).statusCode).toBe(403);
    });
  });

  describe('jobs', () => {
    it('scans an image to the same JSON result as strata image, and finds and diffs its findings', async () => {
      const worker = new Worker({
        store,
        concurrency: 1,
        leaseSeconds: 30,
        pollMs: 50,
        log: quiet,
        db: resolve('.no-such-db.db'),
      });
      const posted = await call('POST', '/api/v1/scans', 'admin', { target: DEMO, scanners: ['secret'] });
      expect(posted.statusCode).toBe(202);
      const { id } = posted.json();
      worker.start();
      let scan = (await call('GET', `/api/v1/scans/${id}`, 'read')).json();
      for (let i = 0; i < 200 && (scan.status === 'queued' || scan.status === 'running'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        scan = (await call('GET', `/api/v1/scans/${id}`, 'read')).json();
      }
      await worker.stop(1000);
      expect(scan.status).toBe('done');
      const cli = finalizeResult(await scanImage(DEMO, { scanners: ['secret'] }), {
        suppression: { suppressors: [], warnings: [] },
      }).shown;
      expect(scan.result).toEqual(JSON.parse(writeJson(cli)));
      const list = (await call('GET', '/api/v1/scans', 'read')).json();
      expect(list.items.map((s: { id: string }) => s.id)).toEqual([id]);
      const first = scan.result.findings[0];
      if (first) {
        const hits = (
          await call('GET', `/api/v1/findings?advisory=${encodeURIComponent(first.id)}`, 'read')
        ).json();
        expect(hits.items[0]).toMatchObject({ scan: id, finding: { id: first.id } });
      }
      const diff = (await call('GET', `/api/v1/scans/${id}/diff?against=${id}`, 'read')).json();
      expect(diff.new).toEqual([]);
      expect(diff.unchanged.length).toBe(scan.result.findings.length);
    });

    it('ends a poison job failed with its error after its attempts, and the queue goes on', async () => {
      await store.insertJob({
        id: 'poison',
        type: 'scan-image',
        payload: { target: 'docker-archive:/no/such.tar' },
        maxAttempts: 2,
      });
      await store.insertJob({ id: 'bogus', type: 'scan-image', payload: { nope: 1 }, maxAttempts: 1 });
      const worker = new Worker({ store, concurrency: 1, leaseSeconds: 30, pollMs: 20, log: quiet });
      worker.start();
      for (let i = 0; i < 100; i++) {
        const depth = await store.queueDepth();
        if (depth.failed === 2) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await worker.stop(1000);
      const poison = await store.getJob('poison');
      expect(poison).toMatchObject({ status: 'failed', attempts: 2 });
      expect(poison?.error).toContain('such.tar');
      expect(await store.getJob('bogus')).toMatchObject({ status: 'failed', attempts: 1 });
    });

    it('writes a result once: a worker whose lease was taken over cannot complete', async () => {
      await store.insertJob({ id: 'j', type: 'scan-image', payload: { target: 'x' }, maxAttempts: 3 });
      const first = await store.claimJob(['scan-image'], 0);
      await new Promise((r) => setTimeout(r, 5));
      const second = await store.claimJob(['scan-image'], 30);
      expect(second?.attempts).toBe(2);
      const result = finalizeResult(await scanImage(DEMO, { scanners: [] })).shown;
      expect(await store.completeJob('j', first?.lease ?? '', result, [])).toBe(false);
      expect(await store.completeJob('j', second?.lease ?? '', result, [])).toBe(true);
      expect(await store.completeJob('j', second?.lease ?? '', result, [])).toBe(false);
    });
  });
});
