import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildResult } from '../../core/index.js';
import { EventBus } from '../events.js';
import { Metrics } from '../metrics.js';
import { SqliteStore } from '../store/sqlite.js';
import { generateToken } from '../tokens.js';
import type { NewAlert } from '../watch/types.js';
import { buildApi } from './app.js';

const stats = { repositories: 1, tags: 1, newDigests: 0, scansQueued: 0, moved: 1, mutated: 1 };
const empty = buildResult({ target: { type: 'registry', name: 'r.example:5000' } });
const mutated = (tag: string): NewAlert => ({
  kind: 'tag-mutated',
  level: 'alert',
  severity: 'HIGH',
  subject: `r.example:5000/app:${tag}`,
  message: `r.example:5000/app:${tag} moved to an unsigned digest`,
  details: { tag: `r.example:5000/app:${tag}`, oldDigest: 'sha256:1', newDigest: 'sha256:2' },
});

describe('watch alerts on GET /api/v1/events', () => {
  let store: SqliteStore;
  let app: Awaited<ReturnType<typeof buildApi>>;
  let token: string;
  let runs = 0;
  const commit = (...alerts: NewAlert[]) =>
    store.watches.commitRun({
      watchId: 'w1',
      runId: `run-${++runs}`,
      tags: [],
      alerts,
      scans: [],
      result: empty,
      stats,
    });

  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    await store.migrate();
    const t = generateToken();
    await store.createToken({ id: t.id, name: 'r', scope: 'read', hash: t.hash });
    token = t.secret;
    await store.watches.create({
      id: 'w1',
      name: 'r',
      kind: 'registry',
      config: { registry: 'r.example:5000', insecure: true, scanners: ['vuln'], pageSize: 100 },
      interval: 60,
    });
    // written before the server started: listed by /api/v1/alerts, never replayed as an event
    await commit(mutated('old'));
    app = await buildApi({
      store,
      metrics: new Metrics(store),
      rateLimit: 6000,
      bodyLimit: 4096,
      logger: false,
      events: new EventBus(),
    });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  it('streams an alert written through the store (as a worker process does) as tag.mutated, once', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += value;
      }
    };
    // let the watcher take its first look (the baseline) before writing
    await new Promise((r) => setTimeout(r, 1500));
    const { severity: _, ...moved } = mutated('1');
    await commit(mutated('1'), { ...moved, kind: 'tag-moved', level: 'info' });
    await until('"kind":"tag-moved"');
    // a few more looks: nothing is published twice
    await new Promise((r) => setTimeout(r, 2500));
    await commit(mutated('2'));
    await until('app:2 moved');
    await app.close();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const events = [...text.matchAll(/^event: (.+)\ndata: (.+)$/gm)].map((m) => ({
      type: m[1],
      ...(JSON.parse(m[2] ?? '{}') as { message: string; severity?: string; data: Record<string, unknown> }),
    }));
    expect(events.map((e) => [e.type, e.data.subject])).toEqual([
      ['tag.mutated', 'r.example:5000/app:1'],
      ['tag.moved', 'r.example:5000/app:1'],
      ['tag.mutated', 'r.example:5000/app:2'],
    ]);
    expect(events[0]).toMatchObject({
      severity: 'HIGH',
      message: 'r.example:5000/app:1 moved to an unsigned digest',
      data: { kind: 'tag-mutated', level: 'alert', watch: 'w1', details: { newDigest: 'sha256:2' } },
    });
    expect(events[1]?.severity).toBe('INFO');
    expect(text).not.toContain('app:old');
  }, 20_000);
});
