import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite.js';
import { Dispatcher } from './dispatcher.js';
import { alertNotifier, Notifier } from './notifier.js';

interface Hit {
  key: string;
  body: Record<string, unknown>;
}

/** A receiver on 127.0.0.1 answering each request with the next status of `statuses` (the last repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; hits: Hit[]; close(): Promise<void> }> {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      hits.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(body) });
      res.writeHead(statuses[Math.min(hits.length - 1, statuses.length - 1)] ?? 204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/abcdefghijklmnopqrstuvwxyz`,
    hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const finding = { id: 'CVE-2099-1', severity: 'CRITICAL' as const, package: 'left-pad', version: '1.1.3' };

async function drain(d: Dispatcher, rounds: number, waitMs = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await d.tick();
    await new Promise((r) => setTimeout(r, waitMs));
  }
}

describe('notifications: notify(event) into the outbox, delivered by the dispatcher', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
  });

  it('queues one delivery per subscribed target and key; only CRITICAL/HIGH findings count', async () => {
    await store.outbox.putTarget({
      id: 't1',
      name: '',
      url: 'http://127.0.0.1:1/x',
      format: 'json',
      events: ['findings.new'],
      origin: 'api',
    });
    await store.outbox.putTarget({
      id: 't2',
      name: '',
      url: 'http://127.0.0.1:1/y',
      format: 'slack',
      events: ['tag.mutated'],
      origin: 'api',
    });
    const n = new Notifier(store);
    const event = { type: 'findings.new', source: 'scan', image: 'r/a:1', findings: [finding] } as const;
    expect(await n.notify(event)).toBe(1);
    // the same fact again (a retried job, another server): nothing new
    expect(await n.notify({ ...event, scan: 'other-scan' })).toBe(0);
    expect(
      await n.notify({ ...event, findings: [{ ...finding, id: 'CVE-2099-2', severity: 'MEDIUM' }] }),
    ).toBe(0);
    await alertNotifier(store)({
      kind: 'tag-mutated',
      subject: 'r/a:1',
      message: 'tag mutated',
      details: { tag: 'r/a:1', oldDigest: 'sha256:1', newDigest: 'sha256:2', reason: 'no signature' },
    });
    await alertNotifier(store)({ kind: 'tag-moved', subject: 'r/a:1', message: 'moved', details: {} });
    const rows = await store.outbox.listDeliveries(10);
    expect(rows.map((r) => [r.targetId, (r.event as { type: string }).type]).sort()).toEqual([
      ['t1', 'findings.new'],
      ['t2', 'tag.mutated'],
    ]);
  });

  it('retries a 5xx with backoff and the same Idempotency-Key, and gives up on a 4xx at once', async () => {
    const flaky = await receiver([503, 500, 204]);
    const refusing = await receiver([400]);
    try {
      for (const [id, r, format] of [
        ['flaky', flaky, 'json'],
        ['refusing', refusing, 'slack'],
      ] as const)
        await store.outbox.putTarget({
          id,
          name: id,
          url: r.url,
          format,
          events: ['findings.new'],
          origin: 'api',
        });
      await new Notifier(store).notify({
        type: 'findings.new',
        source: 'rematch',
        image: 'r/b:1',
        findings: [finding],
      });
      const d = new Dispatcher({ store, baseDelayMs: 20, maxAttempts: 5 });
      await drain(d, 15);
      expect(flaky.hits.map((h) => h.key)).toEqual(Array(3).fill(flaky.hits[0]?.key));
      expect(flaky.hits[2]?.body).toMatchObject({
        idempotencyKey: flaky.hits[0]?.key,
        kind: 'message',
        details: { type: 'findings.new', image: 'r/b:1', findings: [finding] },
      });
      expect(refusing.hits).toHaveLength(1);
      expect(String(refusing.hits[0]?.body.text)).toContain('CRITICAL CVE-2099-1 (left-pad 1.1.3)');
      const rows = await store.outbox.listDeliveries(10);
      const by = Object.fromEntries(rows.map((r) => [r.targetId, r]));
      expect(by.flaky).toMatchObject({ status: 'delivered', attempts: 3 });
      expect(by.refusing).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: expect.stringContaining('HTTP 400'),
      });
    } finally {
      await flaky.close();
      await refusing.close();
    }
  });

  it('ends a delivery failed after its attempts, and one dispatcher takes each delivery', async () => {
    const down = await receiver([500]);
    try {
      await store.outbox.putTarget({
        id: 'down',
        name: '',
        url: down.url,
        format: 'json',
        events: ['verification.failed'],
        origin: 'api',
      });
      await new Notifier(store).notify({
        type: 'verification.failed',
        image: 'r/c:1',
        reason: 'no signature',
      });
      const a = new Dispatcher({ store, baseDelayMs: 10, maxAttempts: 3 });
      const b = new Dispatcher({ store, baseDelayMs: 10, maxAttempts: 3 });
      for (let i = 0; i < 10; i++) {
        await Promise.all([a.tick(), b.tick()]);
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(down.hits).toHaveLength(3);
      const [row] = await store.outbox.listDeliveries(1);
      expect(row).toMatchObject({ status: 'failed', attempts: 3, error: 'HTTP 500' });
    } finally {
      await down.close();
    }
  });

  it('escapes Slack control characters (&, <, >) of an image name, so <!channel> never pings', async () => {
    const slack = await receiver([204]);
    try {
      await store.outbox.putTarget({
        id: 's',
        name: 's',
        url: slack.url,
        format: 'slack',
        events: ['tag.mutated'],
        origin: 'api',
      });
      const tag = 'r.example:5000/a&b<!channel>:1';
      await alertNotifier(store)({
        kind: 'tag-mutated',
        subject: tag,
        message: 'tag mutated',
        details: { tag, oldDigest: 'sha256:1', newDigest: 'sha256:2', reason: 'signed by <@U123> & co' },
      });
      await drain(new Dispatcher({ store }), 3);
      expect(slack.hits).toHaveLength(1);
      const text = String(slack.hits[0]?.body.text);
      expect(text).toContain('r.example:5000/a&amp;b&lt;!channel&gt;:1 moved from sha256:1 to sha256:2');
      expect(text).toContain('signed by &lt;@U123&gt; &amp; co');
      expect(text).not.toMatch(/<|>|&(?!amp;|lt;|gt;)/);
    } finally {
      await slack.close();
    }
  });
});
