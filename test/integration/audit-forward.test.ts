import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { auditEvent, podObject } from '../../src/audit/testing/events.js';
import { httpsRequest } from '../support/admission.js';
import { CLI, strata } from '../support/cli.js';
import { freePort } from '../support/registry.js';
import { makeTestCerts } from '../support/tls.js';
import { statuses, type WebhookReceiver, webhookReceiver } from '../support/webhook-receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-audit-forward-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
async function receiver(...args: Parameters<typeof webhookReceiver>): Promise<WebhookReceiver> {
  const r = await webhookReceiver(...args);
  open.push(r);
  return r;
}

const execEvent = (name: string) =>
  auditEvent({
    verb: 'create',
    subresource: 'exec',
    name,
    code: 101,
    uri: `/api/v1/namespaces/default/pods/${name}/exec?command=sh`,
  });
const privileged = auditEvent({
  verb: 'create',
  name: 'root',
  code: 201,
  requestObject: podObject({
    containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }],
  }),
});
const quiet = auditEvent({ verb: 'list', resource: 'configmaps' });
type Event = ReturnType<typeof auditEvent>;
const [web, one, two, srv] = ['web', 'one', 'two', 'srv'].map(execEvent) as [Event, Event, Event, Event];
const log = join(dir, 'audit.log');
writeFileSync(log, `${[web, quiet, privileged].map((e) => JSON.stringify(e)).join('\n')}\n`);

type Posted = {
  idempotencyKey: string;
  kind: string;
  target: string;
  findings: { id: string; evidence: { auditID: string } }[];
};
const posted = (r: WebhookReceiver) => r.seen.map((s) => s.body as unknown as Posted);

describe('strata audit FILE --forward', () => {
  it('delivers each alert once, retrying a 503, with one Idempotency-Key per alert', async () => {
    // every alert's first attempt fails
    const tries = new Map<string, number>();
    const r = await receiver((_n, res, req) => {
      const key = String(req.headers['idempotency-key']);
      tries.set(key, (tries.get(key) ?? 0) + 1);
      res.writeHead(tries.get(key) === 1 ? 503 : 200);
      res.end();
    });
    const run = await strata(['audit', log, '-f', 'json', '--forward', `${r.url}/alerts`]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).findings).toHaveLength(2);
    expect(run.stderr).toContain(`--forward: 2 of 2 alerts delivered to ${r.url}/…`);
    expect(r.seen).toHaveLength(4);
    expect([...tries.values()]).toEqual([2, 2]);
    const delivered = posted(r);
    expect(new Set(delivered.map((b) => b.findings[0]?.evidence.auditID))).toEqual(
      new Set([web.auditID, privileged.auditID]),
    );
    for (const s of r.seen) expect(s.body.idempotencyKey).toBe(s.headers['idempotency-key']);
    expect(posted(r)[0]).toMatchObject({ kind: 'findings', target: log });
  });

  it('--severity applies: only what the report shows is forwarded', async () => {
    const r = await receiver(statuses(200));
    const run = await strata(['audit', log, '-f', 'json', '-q', '--severity', 'HIGH', '--forward', r.url]);
    expect(run.code).toBe(0);
    expect(posted(r).map((b) => b.findings[0]?.id)).toEqual(['Strata Privileged Pod']);
  });

  it('--forward-format slack posts {"text"} with the rule and the output', async () => {
    const r = await receiver(statuses(200));
    const run = await strata(['audit', log, '-q', '--forward', r.url, '--forward-format', 'slack']);
    expect(run.code).toBe(0);
    const texts = r.seen.map((s) => s.body.text as string).sort();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^\*Strata\*: 1 finding on .*audit\.log\n• \*HIGH\* Strata Privileged Pod: /);
    expect(Object.keys(r.seen[0]?.body ?? {})).toEqual(['text']);
  });

  it('an alert that cannot be delivered: a warning each, the report still written, exit 2', async () => {
    const r = await receiver((_n, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"message":"no such channel"}');
    });
    const secret = 'T0001/B0001/abcdefghijklmnopqrstuvwx';
    const url = `http://bot:pa55word-xyz@${r.url.slice('http://'.length)}/services/${secret}`;
    const run = await strata(['audit', log, '-f', 'json', '--forward', url]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).findings).toHaveLength(2);
    expect(r.seen).toHaveLength(2);
    expect(r.seen[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('bot:pa55word-xyz').toString('base64')}`,
    );
    const lines = run.stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes('not delivered'))).toHaveLength(2);
    expect(lines.at(-1)).toBe(`strata: --forward: 0 of 2 alerts delivered to ${r.url}/… (2 failed)`);
    expect(run.stderr).toContain('HTTP 400 (no such channel)');
    for (const s of ['pa55word-xyz', 'bot:', 'abcdefghijklmnopqrstuvwx', '/services'])
      expect(run.stderr).not.toContain(s);
  });

  it('an unreachable receiver: the exit waits at most --forward-timeout, then exit 2', async () => {
    const port = await freePort();
    const started = Date.now();
    const run = await strata([
      'audit',
      log,
      '-q',
      '--forward',
      `http://127.0.0.1:${port}/`,
      '--forward-timeout',
      '2s',
    ]);
    expect(run.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.stderr).toContain('0 of 2 alerts delivered');
  });

  it.each([
    [['--forward', 'not a url'], '--forward: not an absolute URL'],
    [['--forward', 'ftp://127.0.0.1/'], '--forward: ftp: is not http: or https:'],
    [
      ['--forward', 'http://127.0.0.1/', '--forward-format', 'xml'],
      '--forward-format: "xml" is not one of json, slack',
    ],
    [['--forward-format', 'slack'], '--forward-format needs --forward'],
    [
      ['--forward', 'http://127.0.0.1/', '--forward-timeout', 'soon'],
      '--forward-timeout: "soon" is not a duration',
    ],
    [['--forward', 'http://127.0.0.1/', '--offline'], '--offline: --forward needs the network'],
  ])('%j is a usage error before any work', async (args, message) => {
    const run = await strata(['audit', log, ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });
});

/** A CLI process that keeps running (`--follow`, `serve`), its output collected. */
function start(args: readonly string[]) {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  open.push({
    close: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  });
  return {
    child,
    out: () => out,
    err: () => err,
    exit: () => exited,
    until: async (text: string) => {
      const deadline = Date.now() + 30_000;
      while (!err.includes(text)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no "${text}" in: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

describe('strata audit FILE --follow --forward', () => {
  it('forwards each alert as it is found; SIGTERM waits for the delivery and exits 0', async () => {
    const r = await receiver(statuses(500, 200));
    const followed = join(dir, 'follow.log');
    writeFileSync(followed, '');
    const f = start(['audit', followed, '--follow', '-f', 'json', '--forward', r.url]);
    await f.until('following');
    appendFileSync(followed, `${JSON.stringify(one)}\n`);
    await r.waitFor(2);
    appendFileSync(followed, `${JSON.stringify(two)}\n`);
    await r.waitFor(3);
    f.child.kill('SIGTERM');
    expect(await f.exit()).toBe(0);
    const auditIDs = posted(r).map((b) => b.findings[0]?.evidence.auditID);
    expect(auditIDs).toEqual([one.auditID, one.auditID, two.auditID]);
    expect(f.err()).toContain(`--forward: 2 of 2 alerts delivered to ${r.url}/`);
  });
});

describe('strata audit serve --forward', () => {
  it('takes --rules and --forward-format written after serve as its own (audit declares them too)', async () => {
    const bad = join(dir, 'bad-rules.yaml');
    writeFileSync(bad, '- rule: x\n');
    const common = ['audit', 'serve', '--tls-cert', log, '--tls-key', log];
    const rules = await strata([...common, '--rules', bad]);
    expect(rules.code).toBe(2);
    expect(rules.stderr).toContain('bad-rules.yaml:1: rule "x"');
    const format = await strata([...common, '--forward', 'http://127.0.0.1:9/', '--forward-format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--forward-format: "xml" is not one of json, slack');
  });

  it('forwards each alert of a webhook batch and counts the deliveries in /metrics', async () => {
    const r = await receiver(statuses(200));
    const certs = join(dir, 'certs');
    mkdirSync(certs, { recursive: true });
    makeTestCerts(certs, {
      ca: '/CN=strata-forward-ca',
      server: {
        subject: '/CN=127.0.0.1',
        extensions: 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth',
      },
      client: { subject: '/CN=kube-apiserver' },
    });
    const ca = readFileSync(join(certs, 'ca.pem'));
    const port = await freePort();
    const s = start([
      'audit',
      'serve',
      '--tls-cert',
      join(certs, 'server.pem'),
      '--tls-key',
      join(certs, 'server.key'),
      '--port',
      String(port),
      '--forward',
      r.url,
      '--forward-format',
      'slack',
    ]);
    await s.until('listening on');
    expect(s.err()).toContain(`forwarding alerts to ${r.url}/`);
    const batch = JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [srv, quiet],
    });
    expect(
      (await httpsRequest(`https://127.0.0.1:${port}/`, ca, { method: 'POST', body: batch })).status,
    ).toBe(200);
    await r.waitFor(1);
    expect(String(r.seen[0]?.body.text)).toContain('Strata Pod Exec or Attach');
    const deadline = Date.now() + 10_000;
    let metrics = '';
    while (!metrics.includes('strata_audit_forwards_total{result="delivered"} 1')) {
      if (Date.now() > deadline) throw new Error(metrics);
      metrics = (await httpsRequest(`https://127.0.0.1:${port}/metrics`, ca)).body;
    }
    s.child.kill('SIGTERM');
    expect(await s.exit()).toBe(0);
    expect(r.seen).toHaveLength(1);
  });
});
