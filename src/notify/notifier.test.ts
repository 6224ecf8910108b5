import { afterEach, describe, expect, it } from 'vitest';
import {
  type Answer,
  statuses,
  type WebhookReceiver,
  webhookReceiver,
} from '../../test/support/webhook-receiver.js';
import { type AuditFinding, auditFinding } from '../core/index.js';
import { HttpClient } from '../transport/index.js';
import { deliver, Notifier, type NotifierOptions, webhookTarget } from './index.js';
import { DEFAULT_DELIVERY_POLICY, type Notification } from './types.js';

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function receiver(answer: Answer): Promise<WebhookReceiver> {
  const r = await webhookReceiver(answer);
  open.push(r);
  return r;
}
const status = statuses;

const fast = { baseDelayMs: 20, maxDelayMs: 200, deadlineMs: 10_000, attemptTimeoutMs: 5_000 };

function notifier(opts: NotifierOptions): { n: Notifier; warnings: string[] } {
  const warnings: string[] = [];
  const n = new Notifier({ policy: fast, onWarning: (w) => warnings.push(w), ...opts });
  open.push({ close: () => n.close(0) });
  return { n, warnings };
}

function alert(rule: string, output = 'a pod was exec-ed into'): AuditFinding {
  return auditFinding({
    id: rule,
    severity: 'HIGH',
    title: output,
    location: { path: 'audit.log', line: 3, resource: 'pods/default/web' },
    evidence: { priority: 'ERROR', output, auditID: `id-${rule}` },
  });
}

const findings = (f: AuditFinding, target = 'audit.log'): Notification => ({
  kind: 'findings',
  target,
  findings: [f],
});

describe('Notifier', () => {
  describe('when the receiver fails twice with 500, then answers 200', () => {
    it('delivers once, with the same Idempotency-Key and body on all three attempts', async () => {
      const r = await receiver(status(500, 500, 200));
      const { n, warnings } = notifier({ url: `${r.url}/hook` });
      n.notify(findings(alert('Attach/Exec Pod')));
      const stats = await n.flush(10_000);
      expect(stats).toMatchObject({
        accepted: 1,
        delivered: 1,
        failed: 0,
        dropped: 0,
        pending: 0,
        attempts: 3,
      });
      expect(r.seen).toHaveLength(3);
      const keys = r.seen.map((s) => s.headers['idempotency-key']);
      expect(keys[0]).toMatch(/^strata-[0-9a-f]{32}$/);
      expect(new Set(keys).size).toBe(1);
      expect(r.seen.map((s) => s.body)).toEqual([r.seen[0]?.body, r.seen[0]?.body, r.seen[0]?.body]);
      expect(r.seen[0]?.body).toMatchObject({
        idempotencyKey: keys[0],
        kind: 'findings',
        target: 'audit.log',
        summary: 'HIGH Attach/Exec Pod on audit.log',
        findings: [{ id: 'Attach/Exec Pod', kind: 'audit', evidence: { auditID: 'id-Attach/Exec Pod' } }],
      });
      expect(r.seen[0]?.headers['content-type']).toBe('application/json');
      expect(warnings).toEqual([]);
    });
  });

  describe('when the receiver answers 400', () => {
    it('does not retry, counts the failure and warns with the status and the reason', async () => {
      const r = await receiver((_n, res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"message":"unknown channel"}');
      });
      const { n, warnings } = notifier({ url: r.url });
      n.notify(findings(alert('Create Privileged Pod')));
      const stats = await n.flush(10_000);
      expect(r.seen).toHaveLength(1);
      expect(stats).toMatchObject({ delivered: 0, failed: 1, attempts: 1 });
      expect(warnings).toEqual([
        `notification "HIGH Create Privileged Pod on audit.log" not delivered to ${r.url}/: HTTP 400 (unknown channel)`,
      ]);
    });
  });

  describe('when the receiver answers 429 with Retry-After', () => {
    it('waits at least that long before the next attempt', async () => {
      const r = await receiver((n, res) => {
        if (n === 0) res.writeHead(429, { 'retry-after': '1' });
        else res.writeHead(204);
        res.end();
      });
      const { n } = notifier({ url: r.url });
      n.notify(findings(alert('Create Privileged Pod')));
      expect(await n.flush(10_000)).toMatchObject({ delivered: 1, attempts: 2 });
      const [first, second] = r.seen;
      // backoff alone would have waited 15-20 ms: the second attempt came after the asked second
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
    });

    it('gives up at once when Retry-After is past the delivery deadline', async () => {
      const r = await receiver((_n, res) => {
        res.writeHead(429, { 'retry-after': '3600' });
        res.end();
      });
      const { n, warnings } = notifier({ url: r.url, policy: { ...fast, deadlineMs: 2_000 } });
      n.notify(findings(alert('Create Privileged Pod')));
      expect(await n.flush(10_000)).toMatchObject({ failed: 1, attempts: 1 });
      expect(warnings[0]).toContain('HTTP 429 (1 attempts; Retry-After 3600 s would pass the 2 s deadline)');
    });
  });

  describe('when every attempt fails with 503', () => {
    it('stops after maxAttempts', async () => {
      const r = await receiver(status(503));
      const { n, warnings } = notifier({ url: r.url, policy: { ...fast, maxAttempts: 4 } });
      n.notify(findings(alert('x')));
      expect(await n.flush(10_000)).toMatchObject({ failed: 1, attempts: 4 });
      expect(r.seen).toHaveLength(4);
      expect(warnings[0]).toMatch(/HTTP 503 \(4 attempts\)$/);
    });

    it('stops at the delivery deadline, whatever maxAttempts says', async () => {
      const r = await receiver(status(503));
      const { n } = notifier({
        url: r.url,
        policy: { maxAttempts: 1000, baseDelayMs: 50, maxDelayMs: 50, deadlineMs: 600 },
      });
      const started = Date.now();
      n.notify(findings(alert('x')));
      const stats = await n.flush(10_000);
      expect(stats).toMatchObject({ failed: 1, delivered: 0, pending: 0 });
      expect(stats.attempts).toBeLessThan(20);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });

  describe('when the connection breaks', () => {
    it('retries a reset connection and a refused one', async () => {
      const r = await receiver((n, res, req) => {
        if (n === 0) {
          req.socket.destroy();
          return;
        }
        res.writeHead(200);
        res.end();
      });
      const { n } = notifier({ url: r.url });
      n.notify(findings(alert('reset')));
      expect(await n.flush(10_000)).toMatchObject({ delivered: 1, attempts: 2 });

      const closed = await receiver(status(200));
      const url = closed.url;
      await closed.close();
      const refused = notifier({ url, policy: { ...fast, maxAttempts: 3 } });
      refused.n.notify(findings(alert('refused')));
      expect(await refused.n.flush(10_000)).toMatchObject({ failed: 1, attempts: 3 });
      expect(refused.warnings[0]).toContain('cannot reach the server (ECONNREFUSED) (3 attempts)');
    });
  });

  describe('the caller hot path', () => {
    it('returns from notify() before any byte is sent, and drops the oldest when the queue is full', async () => {
      const release: (() => void)[] = [];
      const r = await receiver((_n, res) => {
        release.push(() => {
          res.writeHead(200);
          res.end();
        });
      });
      const { n, warnings } = notifier({ url: r.url, queueSize: 2, concurrency: 1 });
      for (const rule of ['one', 'two', 'three', 'four']) n.notify(findings(alert(rule)));
      expect(r.seen).toHaveLength(0);
      expect(n.stats()).toMatchObject({ accepted: 4, dropped: 1, pending: 3 });
      expect(warnings).toEqual([
        `notification to ${r.url}/ dropped: the queue is full (2) (1 dropped so far)`,
      ]);
      while (n.stats().pending > 0) {
        await new Promise((res) => setTimeout(res, 10));
        release.splice(0).forEach((f) => {
          f();
        });
      }
      const ids = r.seen.map((s) => (s.body.findings as { id: string }[])[0]?.id);
      expect(ids).toEqual(['one', 'three', 'four']);
      expect(n.stats()).toMatchObject({ delivered: 3, dropped: 1 });
    });
  });

  describe('close()', () => {
    it('waits a bounded time for a receiver that never answers, then counts what is left as failed', async () => {
      const r = await receiver(() => undefined);
      const { n, warnings } = notifier({ url: r.url, concurrency: 1 });
      n.notify(findings(alert('hung')));
      n.notify(findings(alert('queued')));
      const started = Date.now();
      const stats = await n.close(300);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(stats).toMatchObject({ delivered: 0, failed: 2, pending: 0 });
      expect(warnings).toHaveLength(2);
      n.notify(findings(alert('late')));
      expect(n.stats().dropped).toBe(1);
    });
  });

  describe('credentials in the URL', () => {
    it('sends userinfo as Basic auth and never prints it, the path or the query', async () => {
      const r = await receiver(status(500));
      const port = new URL(r.url).port;
      const token = 'XoXb0123456789abcdefTOKEN';
      const url = `http://hook-user:s3cret-pass@127.0.0.1:${port}/services/T000/B000/${token}?sig=abcdef0123456789abcdef`;
      const { n, warnings } = notifier({ url, policy: { ...fast, maxAttempts: 2 } });
      expect(n.target.display).toBe(`http://127.0.0.1:${port}/…`);
      n.notify(findings(alert('x')));
      await n.flush(10_000);
      expect(r.seen[0]?.headers.authorization).toBe(
        `Basic ${Buffer.from('hook-user:s3cret-pass').toString('base64')}`,
      );
      expect(r.seen[0]?.path).toBe(`/services/T000/B000/${token}?sig=abcdef0123456789abcdef`);
      expect(warnings).toHaveLength(1);
      for (const secret of ['s3cret-pass', 'hook-user', token, 'abcdef0123456789abcdef', 'services'])
        expect(warnings[0]).not.toContain(secret);
    });
  });

  describe('the slack format', () => {
    it('posts {"text"} with &, < and > escaped, so the output cannot mention @channel or forge a link', async () => {
      const r = await receiver(status(200));
      const { n } = notifier({ url: r.url, format: 'slack' });
      n.notify(findings(alert('Exec <!channel>', 'user=<!channel> ran <http://evil|click> & more'), 'prod'));
      await n.flush(10_000);
      expect(r.seen[0]?.body).toEqual({
        text: '*Strata*: 1 finding on prod\n• *HIGH* Exec &lt;!channel&gt;: user=&lt;!channel&gt; ran &lt;http://evil|click&gt; &amp; more (pods/default/web)',
      });
      expect(r.seen[0]?.headers['idempotency-key']).toMatch(/^strata-/);
    });

    it('lists at most 20 findings and counts the rest', async () => {
      const r = await receiver(status(200));
      const { n } = notifier({ url: r.url, format: 'slack' });
      n.notify({ kind: 'findings', findings: Array.from({ length: 25 }, (_, i) => alert(`rule-${i}`)) });
      await n.flush(10_000);
      const lines = String(r.seen[0]?.body.text).split('\n');
      expect(lines).toHaveLength(22);
      expect(lines[21]).toBe('…and 5 more');
    });
  });

  describe('message notifications and keys', () => {
    it('sends a message with the caller key, and derives equal keys for equal content', async () => {
      const r = await receiver(status(200));
      const { n } = notifier({ url: r.url });
      n.notify({ kind: 'message', title: 'tag moved', details: { tag: 'app:1' }, idempotencyKey: 'k-1' });
      n.notify(findings(alert('same')));
      n.notify(findings(alert('same')));
      await n.flush(10_000);
      const keys = r.seen.map((s) => s.headers['idempotency-key']);
      expect(keys[0]).toBe('k-1');
      expect(r.seen[0]?.body).toEqual({
        idempotencyKey: 'k-1',
        summary: 'tag moved',
        kind: 'message',
        title: 'tag moved',
        details: { tag: 'app:1' },
      });
      expect(keys[1]).toBe(keys[2]);
      expect(keys[1]).not.toBe('k-1');
    });
  });

  describe('bad options', () => {
    it.each([
      ['not a url', 'INVALID_URL'],
      ['ftp://127.0.0.1/x', 'INVALID_URL'],
    ])('refuses %s', (url, code) => {
      expect(() => new Notifier({ url })).toThrow(expect.objectContaining({ code }));
    });

    it('refuses an unknown format', () => {
      expect(() => new Notifier({ url: 'http://127.0.0.1/', format: 'xml' as 'json' })).toThrow(
        expect.objectContaining({ code: 'INVALID_FORMAT' }),
      );
    });
  });
});

describe('deliver', () => {
  it('returns the outcome to a caller that awaits it (no queue)', async () => {
    const r = await receiver(status(503, 202));
    const client = new HttpClient();
    open.push(client);
    const outcome = await deliver(findings(alert('x')), {
      client,
      target: webhookTarget(r.url),
      format: 'json',
      policy: { ...DEFAULT_DELIVERY_POLICY, ...fast },
    });
    expect(outcome).toMatchObject({ status: 'delivered', attempts: 2, httpStatus: 202 });
  });
});
