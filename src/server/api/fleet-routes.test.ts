import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../store/sqlite.js';
import { startTestApi, type TestApi } from '../testing/api.js';

describe('advisory update, re-match and notification routes', () => {
  let api: TestApi;
  let store: SqliteStore;
  let app: TestApi['app'];

  beforeEach(async () => {
    api = await startTestApi({
      dbSource: { mirror: 'http://127.0.0.1:9/osv', ecosystems: ['Debian'] },
    });
    ({ store, app } = api);
  });
  afterEach(() => api.close());
  const call: TestApi['call'] = (...args) => api.call(...args);

  it('queues a db-update with the server source (admin only), shown as a running re-match', async () => {
    expect((await call('POST', '/api/v1/db/update', 'scan', {})).statusCode).toBe(403);
    const bare = await app.inject({
      method: 'POST',
      url: '/api/v1/db/update',
      headers: { authorization: `Bearer ${api.tokens.admin}` },
    });
    expect(bare.statusCode).toBe(202);
    const { id } = bare.json();
    expect(await store.getJob(id)).toMatchObject({
      type: 'db-update',
      status: 'queued',
      payload: { mirror: 'http://127.0.0.1:9/osv', ecosystems: ['Debian'] },
    });
    expect((await call('GET', `/api/v1/rematches/${id}`, 'read')).json()).toEqual({ id, status: 'queued' });
    const paths = await call('POST', '/api/v1/db/update', 'admin', { paths: ['/srv/osv/all.zip'] });
    expect((await store.getJob(paths.json().id))?.payload).toEqual({ paths: ['/srv/osv/all.zip'] });
    expect((await call('POST', '/api/v1/db/update', 'admin', { mirror: 'ftp://x' })).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/rematches/nope', 'read')).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/rematches', 'admin')).statusCode).toBe(202);
  });

  it('adds, lists and deletes webhook targets (admin only), refusing a URL that is not http(s)', async () => {
    expect((await call('GET', '/api/v1/notifications', 'scan')).statusCode).toBe(403);
    expect(
      (await call('POST', '/api/v1/notifications', 'admin', { url: 'file:///etc/passwd' })).statusCode,
    ).toBe(400);
    expect(
      (await call('POST', '/api/v1/notifications', 'admin', { url: 'http://a.example/x', events: ['nope'] }))
        .statusCode,
    ).toBe(400);
    const created = await call('POST', '/api/v1/notifications', 'admin', {
      url: 'https://hooks.example/services/T000/B000/abcdefghijklmnopqrstuvwx',
      format: 'slack',
      events: ['tag.mutated'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ format: 'slack', events: ['tag.mutated'], origin: 'api' });
    const plain = await call('POST', '/api/v1/notifications', 'admin', { url: 'http://127.0.0.1:1/hook' });
    expect(plain.json()).toMatchObject({
      format: 'json',
      events: ['findings.new', 'tag.mutated', 'verification.failed'],
    });
    expect((await call('GET', '/api/v1/notifications', 'admin')).json().items).toHaveLength(2);
    expect((await call('DELETE', `/api/v1/notifications/${created.json().id}`, 'admin')).statusCode).toBe(
      204,
    );
    expect((await call('DELETE', `/api/v1/notifications/${created.json().id}`, 'admin')).statusCode).toBe(
      404,
    );
    expect((await call('GET', '/api/v1/notifications/deliveries', 'admin')).json()).toEqual({ items: [] });
  });
});
