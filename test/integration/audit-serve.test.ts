import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, podObject } from '../../src/audit/testing/events.js';
import { httpsRequest } from '../support/admission.js';
import { CLI, strata } from '../support/cli.js';
import { freePort } from '../support/registry.js';
import { makeTestCerts } from '../support/tls.js';

const CERTS = {
  ca: '/CN=strata-audit-test-ca',
  server: {
    subject: '/CN=127.0.0.1',
    extensions: 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth',
  },
  client: { subject: '/CN=kube-apiserver' },
};
const work = mkdtempSync(join(tmpdir(), 'strata-audit-serve-'));
let child: ChildProcess;
let url: string;
let ca: Buffer;
let stdout = '';
let stderr = '';

beforeAll(async () => {
  const certs = join(work, 'certs');
  mkdirSync(certs);
  makeTestCerts(certs, CERTS);
  ca = readFileSync(join(certs, 'ca.pem'));
  const port = await freePort();
  url = `https://127.0.0.1:${port}`;
  child = spawn(
    process.execPath,
    [
      CLI,
      'audit',
      'serve',
      '--tls-cert',
      join(certs, 'server.pem'),
      '--tls-key',
      join(certs, 'server.key'),
      '--port',
      String(port),
      '--max-batch-mib',
      '1',
    ],
    { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const deadline = Date.now() + 30_000;
  while (!stderr.includes('listening on')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`not started: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

const eventList = (items: unknown[]) =>
  JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
const post = (body: string, headers: Record<string, string> = {}) =>
  httpsRequest(`${url}/audit`, ca, { method: 'POST', body, headers });
const findings = () =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { id: string; kind: string; evidence: { auditID: string } });

async function waitFindings(n: number) {
  const deadline = Date.now() + 10_000;
  while (findings().length < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} findings: ${stdout}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return findings();
}

describe('strata audit serve', () => {
  it('answers /healthz and turns an EventList batch into JSON-line findings', async () => {
    expect((await httpsRequest(`${url}/healthz`, ca)).status).toBe(200);
    const exec = auditEvent({
      verb: 'create',
      subresource: 'exec',
      name: 'web',
      code: 101,
      uri: '/api/v1/namespaces/default/pods/web/exec?command=sh',
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
    // as kube-apiserver sends them: the items without kind and apiVersion
    const bare = (e: Record<string, unknown>) => {
      const { kind: _k, apiVersion: _a, ...rest } = e;
      return rest;
    };
    const r = await post(eventList([bare(exec), quiet, bare(privileged)]));
    expect(r.status).toBe(200);
    const got = await waitFindings(2);
    expect(got.map((f) => [f.kind, f.id, f.evidence.auditID])).toEqual([
      ['audit', 'Strata Pod Exec or Attach', exec.auditID],
      ['audit', 'Strata Privileged Pod', privileged.auditID],
    ]);
    expect((got[0] as unknown as { location: unknown }).location).toMatchObject({
      path: 'webhook',
      line: 1,
      resource: 'pods/default/web',
    });
    // an empty batch (items: null, as Go marshals it) is fine
    expect(
      (await post(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: null }))).status,
    ).toBe(200);
  });

  it('refuses a bad batch whole with 400 (counted), an oversized one with 413', async () => {
    const before = findings().length;
    const good = auditEvent({ verb: 'create', subresource: 'exec', name: 'x', code: 101 });
    const bad = await post(eventList([good, { kind: 'Pod' }]));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/webhook batch \d+: items\[1\]: not an audit\.k8s\.io\/v1 Event/);
    const notJson = await post('{"kind":');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatch(/not JSON/);
    const big = await post(eventList([auditEvent({ extra: { pad: 'x'.repeat(2 * 1024 * 1024) } })]));
    expect(big.status).toBe(413);
    const metrics = (await httpsRequest(`${url}/metrics`, ca)).body;
    expect(metrics).toMatch(/strata_audit_batches_total\{result="bad-request"\} 2/);
    expect(metrics).toMatch(/strata_audit_batches_total\{result="too-large"\} 1/);
    expect(metrics).toMatch(/strata_audit_batches_total\{result="ok"\} 2/);
    expect(metrics).toMatch(/strata_audit_events_total 3/);
    // nothing of the refused batch was evaluated, and the server still works
    expect(findings().length).toBe(before);
    expect((await httpsRequest(`${url}/healthz`, ca)).status).toBe(200);
    expect((await httpsRequest(`${url}/audit`, ca)).status).toBe(405);
  });

  it('reloads its certificate when the files change, and keeps the old one while the new pair is half-written', async () => {
    const before = (await httpsRequest(`${url}/healthz`, ca)).fingerprint;
    const next = join(work, 'next');
    mkdirSync(next);
    makeTestCerts(next, { ...CERTS, ca: '/CN=strata-audit-test-ca-2' });
    // the certificate first: it does not match the old key, so nothing changes yet
    writeFileSync(join(work, 'certs/server.pem'), readFileSync(join(next, 'server.pem')));
    await new Promise((r) => setTimeout(r, 500));
    expect((await httpsRequest(`${url}/healthz`, ca)).fingerprint).toBe(before);
    writeFileSync(join(work, 'certs/server.key'), readFileSync(join(next, 'server.key')));
    const ca2 = readFileSync(join(next, 'ca.pem'));
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 200));
      after = await httpsRequest(`${url}/healthz`, ca2).then(
        (r) => r.fingerprint,
        () => before,
      );
    }
    expect(after).not.toBe(before);
    await expect(httpsRequest(`${url}/healthz`, ca)).rejects.toThrow();
    const metrics = (await httpsRequest(`${url}/metrics`, ca2)).body;
    expect(metrics).toContain('strata_audit_certificate_reloads_total{result="ok"} 1');
    expect(metrics).toMatch(/strata_audit_certificate_reloads_total\{result="error"\} [1-9]/);
    expect(stderr).toContain('strata audit: TLS certificate reloaded');
  });

  it('a certificate and key that do not make a TLS context are one input error (exit 2)', async () => {
    const junk = join(work, 'junk.pem');
    writeFileSync(junk, 'not PEM\n');
    const r = await strata(['audit', 'serve', '--tls-cert', junk, '--tls-key', junk, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^strata: .*junk\.pem, .*junk\.pem: not a usable certificate and key \(/);
  });
});
