import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite.js';
import { scheduleDbUpdates } from './schedule.js';

const quiet = { info() {}, error() {} };
const until = async (probe: () => Promise<boolean>) => {
  for (let i = 0; i < 100 && !(await probe()); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('--db-update-interval', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
  });

  it('queues one db-update per interval slot, however many servers schedule it', async () => {
    const source = { mirror: 'http://127.0.0.1:9/osv', ecosystems: ['npm'] };
    const queued: string[] = [];
    const servers = [1, 2, 3].map(() =>
      scheduleDbUpdates({
        store,
        intervalMs: 3_600_000,
        source,
        onQueued: (id) => queued.push(id),
        log: quiet,
      }),
    );
    try {
      await until(async () => (await store.listJobs({ limit: 10 })).length > 0);
      await new Promise((r) => setTimeout(r, 100));
      const jobs = await store.listJobs({ limit: 10 });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ type: 'db-update', status: 'queued', payload: source });
      expect(queued).toEqual([jobs[0]?.id]);
    } finally {
      for (const s of servers) s.stop();
    }
  });
});
