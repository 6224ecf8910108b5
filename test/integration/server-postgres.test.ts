import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeResult, scanImage } from '../../src/scan/index.js';
import { PostgresStore } from '../../src/server/index.js';
import { MIGRATIONS } from '../../src/server/store/migrations.js';
import { type Postgres, postgresBin, startPostgres } from '../support/postgres.js';

const DEMO = `oci-archive:${resolve('examples/demo-image.tar')}`;

describe.skipIf(!postgresBin())('fleet store on a real PostgreSQL', () => {
  let pg: Postgres;
  let store: PostgresStore;

  beforeAll(async () => {
    pg = await startPostgres();
    store = new PostgresStore(pg.url);
    expect(await store.migrate()).toBe(MIGRATIONS.length);
    expect(await new PostgresStore(pg.url).migrate().then(() => store.migrate())).toBe(0);
  });
  afterAll(async () => {
    await store?.close();
    pg?.destroy();
  });

  it('gives two concurrent claimers different jobs (SKIP LOCKED)', async () => {
    await store.insertJob({ id: 'a', type: 't', payload: {}, maxAttempts: 3 });
    await store.insertJob({ id: 'b', type: 't', payload: {}, maxAttempts: 3 });
    const other = new PostgresStore(pg.url);
    const [x, y] = await Promise.all([store.claimJob(['t'], 30), other.claimJob(['t'], 30)]);
    await other.close();
    expect([x?.id, y?.id].sort()).toEqual(['a', 'b']);
    expect(await store.claimJob(['t'], 30)).toBeUndefined();
  });

  it('writes a result once: a job taken over after its lease expired cannot be completed by the old holder', async () => {
    await store.insertJob({ id: 'j', type: 'scan-image', payload: { target: DEMO }, maxAttempts: 3 });
    const first = await store.claimJob(['scan-image'], 0);
    await new Promise((r) => setTimeout(r, 5));
    const second = await store.claimJob(['scan-image'], 30);
    expect(second).toMatchObject({ id: 'j', attempts: 2 });
    const result = finalizeResult(await scanImage(DEMO, { scanners: ['secret'] })).shown;
    expect(await store.completeJob('j', first?.lease ?? '', result, ['secret'])).toBe(false);
    expect(await store.completeJob('j', second?.lease ?? '', result, ['secret'])).toBe(true);
    expect(await store.completeJob('j', second?.lease ?? '', result, ['secret'])).toBe(false);
    const job = await store.getJob('j');
    expect(job?.status).toBe('done');
    expect(await store.getResult(job?.resultId ?? '')).toEqual(JSON.parse(JSON.stringify(result)));
    expect(await store.getInventory(result.target.digest ?? '')).toMatchObject({
      packages: result.packages.length ? expect.any(Array) : [],
    });
  });

  it('ends a job failed with its error after its attempts', async () => {
    await store.insertJob({ id: 'p', type: 'poison', payload: {}, maxAttempts: 2 });
    for (let i = 0; i < 2; i++) {
      const j = await store.claimJob(['poison'], 30);
      expect(await store.failJob('p', j?.lease ?? '', 'always fails')).toBe(i === 0 ? 'queued' : 'failed');
    }
    expect(await store.getJob('p')).toMatchObject({ status: 'failed', error: 'always fails', attempts: 2 });
    expect(await store.claimJob(['poison'], 30)).toBeUndefined();
  });

  it('a transaction open when PostgreSQL stops fails; the process does not crash', async () => {
    // a checked-out client has no pool error listener: the server's shutdown message used to be an
    // unhandled 'error' event that killed strata server/worker mid-restart
    type Tx = { tx<T>(body: (c: { query(sql: string): Promise<unknown> }) => Promise<T>): Promise<T> };
    let began!: () => void;
    const begun = new Promise<void>((r) => {
      began = r;
    });
    let go!: () => void;
    const gate = new Promise<void>((r) => {
      go = r;
    });
    const open = (store as unknown as Tx).tx(async (c) => {
      began();
      await gate;
      return c.query('SELECT 1');
    });
    await begun;
    pg.stop();
    await new Promise((r) => setTimeout(r, 200));
    go();
    await expect(open).rejects.toBeDefined();
    pg.start();
    await store.ping();
  });

  it('reconnects after PostgreSQL restarts', async () => {
    await store.ping();
    pg.stop();
    await expect(store.ping()).rejects.toMatchObject({ code: 'DATABASE' });
    pg.start();
    await store.ping();
    expect((await store.queueDepth()).done).toBe(1);
  });
});
