import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProbe } from '../../src/cli/commands/probe.js';
import type { Finding } from '../../src/core/types.js';
import { expandTargets, probeTargets } from '../../src/probe/index.js';
import { runCommand } from '../support/cli-in-process.js';
import { type RunningEtcd, startEtcd } from '../support/etcd.js';
import { freePort, type RunningRegistry, startRegistry } from '../support/registry.js';

async function probe(hostPort: string): Promise<Finding[]> {
  const summary = await probeTargets(expandTargets([hostPort]), { timeoutMs: 3000 });
  return summary.findings;
}

const ids = (findings: readonly Finding[]) => findings.map((f) => f.id).sort();

/** Runs the command in-process. */
const strata = (...args: string[]) => runCommand(registerProbe, args);

describe('strata probe against real servers on 127.0.0.1', () => {
  describe('etcd without authentication', () => {
    let etcd: RunningEtcd;
    beforeAll(async () => {
      etcd = await startEtcd();
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      for (const key of ['/registry/pods/default/web', '/registry/secrets/default/token', '/other/key']) {
        await etcd.gateway('/v3/kv/put', { key: b64(key), value: b64('value') });
      }
    });
    afterAll(() => etcd?.stop());

    it('finds the open client port and the readable key space, with the request and what was seen', async () => {
      const findings = await probe(etcd.host);
      expect(ids(findings)).toEqual(['STRATA-PROBE-ETCD-READ', 'STRATA-PROBE-ETCD-VERSION']);
      const read = findings.find((f) => f.id === 'STRATA-PROBE-ETCD-READ');
      expect(read).toMatchObject({
        kind: 'exposure',
        severity: 'CRITICAL',
        location: { resource: etcd.host },
        evidence: {
          service: 'etcd',
          request: `POST http://${etcd.host}/v3/kv/range`,
          status: 200,
          seen: { keyPrefix: '/registry/', count: 2 },
          tls: { used: false },
        },
      });
      const version = findings.find((f) => f.id === 'STRATA-PROBE-ETCD-VERSION');
      expect(version?.evidence).toMatchObject({ request: `GET http://${etcd.host}/version`, status: 200 });
      expect(version?.evidence).toHaveProperty('seen.etcdserver', expect.stringMatching(/^3\./));
    });

    it('only reads: the revision and the keys are the same after probing', async () => {
      const all = {
        key: Buffer.from('\0').toString('base64'),
        range_end: Buffer.from('\0').toString('base64'),
      };
      const before = await etcd.gateway('/v3/kv/range', all);
      await probe(etcd.host);
      await probe(etcd.host);
      const after = await etcd.gateway('/v3/kv/range', all);
      expect((after.header as Record<string, string>).revision).toBe(
        (before.header as Record<string, string>).revision,
      );
      expect(after.count).toBe(before.count);
      expect(after.kvs).toEqual(before.kvs);
    });

    it('never records key values in the evidence', async () => {
      const text = JSON.stringify(await probe(etcd.host));
      expect(text).not.toContain(Buffer.from('value').toString('base64'));
      expect(text).not.toContain('/registry/secrets');
    });

    it('reports through the CLI as JSON with kind exposure and location.resource HOST:PORT', async () => {
      const run = await strata('probe', etcd.host, '--format', 'json', '--exit-code', '4', '--quiet');
      expect(run.code).toBe(4);
      const result = JSON.parse(run.stdout) as { findings: Finding[]; target: { type: string } };
      expect(result.target.type).toBe('cluster');
      expect(result.findings.map((f) => [f.kind, f.location.resource, f.severity])).toEqual([
        ['exposure', etcd.host, 'CRITICAL'],
        ['exposure', etcd.host, 'MEDIUM'],
      ]);
    });
  });

  describe('etcd with TLS and --client-cert-auth', () => {
    let etcd: RunningEtcd;
    beforeAll(async () => {
      etcd = await startEtcd({ tls: { clientCertAuth: true } });
    });
    afterAll(() => etcd?.stop());

    it('is really up (a client with the test certificate can read)', async () => {
      const status = await etcd.gateway('/v3/maintenance/status', {});
      expect(status.version).toMatch(/^3\./);
    });

    it('yields no finding for a client without a certificate', async () => {
      expect(await probe(etcd.host)).toEqual([]);
    });
  });

  describe('etcd with TLS but without client-cert auth', () => {
    let etcd: RunningEtcd;
    beforeAll(async () => {
      etcd = await startEtcd({ tls: { clientCertAuth: false } });
    });
    afterAll(() => etcd?.stop());

    it('is found over HTTPS and says the self-signed certificate is not valid', async () => {
      const findings = await probe(etcd.host);
      expect(ids(findings)).toEqual(['STRATA-PROBE-ETCD-READ', 'STRATA-PROBE-ETCD-VERSION']);
      for (const f of findings) {
        expect(f.evidence).toMatchObject({
          request: expect.stringMatching(new RegExp(`^(GET|POST) https://${etcd.host}/`)),
          tls: { used: true, valid: false, subject: 'CN=127.0.0.1' },
        });
      }
    });
  });

  describe('docker-registry', () => {
    let open: RunningRegistry;
    let locked: RunningRegistry;
    beforeAll(async () => {
      [open, locked] = await Promise.all([
        startRegistry(),
        startRegistry({ auth: { username: 'alice', password: 'wonderland' } }),
      ]);
    });
    afterAll(async () => {
      await open?.stop();
      await locked?.stop();
    });

    it('finds the registry without htpasswd: its catalog answers anonymously', async () => {
      const findings = await probe(open.host);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        id: 'STRATA-PROBE-REGISTRY-CATALOG',
        kind: 'exposure',
        severity: 'MEDIUM',
        location: { resource: open.host },
        evidence: {
          service: 'registry',
          request: `GET http://${open.host}/v2/_catalog?n=100`,
          status: 200,
          seen: { apiVersion: 'registry/2.0', repositories: 0 },
        },
      });
    });

    it('reports nothing for the registry with htpasswd', async () => {
      expect(await probe(locked.host)).toEqual([]);
    });
  });

  it('reports nothing for a closed port', async () => {
    const port = await freePort();
    const summary = await probeTargets(expandTargets([`127.0.0.1:${port}`]), { timeoutMs: 2000 });
    expect(summary).toEqual({
      findings: [],
      probed: 1,
      reached: 1,
      open: [],
      closed: [`127.0.0.1:${port}`],
      errors: [],
    });
  });

  it("refuses a CIDR outside the user's networks before sending anything", async () => {
    const run = await strata('probe', '8.8.8.0/24', '--format', 'json');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not inside a private/);
    expect(run.stdout).toBe('');
  });
});
