import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ANSI_TEXT,
  ansiServer,
  echoCredentialsServer,
  endlessServer,
  httpServer,
  silentServer,
  type TestServer,
  trickleServer,
} from '../../src/transport/testing/servers.js';
import { expectCleanEnd, expectInputError, strataHostile } from '../support/hostile.js';
import { buildImage, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';
import { writeZip } from '../support/zip.js';

// Hostile networks: servers that never answer, trickle, never stop, echo credentials or
// paint the terminal. Every case must end in seconds with one clean line (exit 2).

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(p: Promise<TestServer>): Promise<TestServer> {
  const s = await p;
  servers.push(s);
  return s;
}

const FAST = { STRATA_CONNECT_TIMEOUT: '2s', STRATA_IDLE_TIMEOUT: '2s', STRATA_REQUEST_DEADLINE: '4s' };

describe('strata image against a hostile registry', () => {
  it('a registry that accepts and never answers ends at the idle timeout', async () => {
    const s = await serve(silentServer());
    const r = await strataHostile(
      ['image', `${s.host}/app:1`, '--insecure', '--scanners', 'secret', '--quiet'],
      {
        env: FAST,
      },
    );
    expectInputError(r, /no answer within 2 s \(STRATA_IDLE_TIMEOUT\)/);
    expect(r.ms).toBeLessThan(15_000);
  });

  it('a registry that trickles a byte a second ends at --timeout', async () => {
    const s = await serve(trickleServer(200));
    const r = await strataHostile(
      ['image', `${s.host}/app:1`, '--insecure', '--scanners', 'secret', '--timeout', '3s', '--quiet'],
      { env: { STRATA_IDLE_TIMEOUT: '2s' } },
    );
    expectInputError(r, /within 3 s \(--timeout\)/);
    expect(r.ms).toBeLessThan(15_000);
  });

  it('an endless manifest is cut off at the manifest cap', async () => {
    const s = await serve(endlessServer());
    const r = await strataHostile(
      ['image', `${s.host}/app:1`, '--insecure', '--scanners', 'secret', '--quiet'],
      {
        env: FAST,
      },
    );
    expectInputError(r, /more than the 4 MiB allowed for a manifest/);
  });

  it('credentials echoed in an error body are printed neither raw nor in base64', async () => {
    const s = await serve(echoCredentialsServer(403));
    const password = 'Sup3r-s3cret-pw';
    const b64 = Buffer.from(`alice:${password}`).toString('base64');
    const r = await strataHostile(
      ['image', `${s.host}/app:1`, '--insecure', '--username', 'alice', '--password', password, '--quiet'],
      { env: FAST },
    );
    expectCleanEnd(r, [2]);
    expect(r.stderr).not.toContain(password);
    expect(r.stderr).not.toContain(b64);
  });

  it('terminal escapes in a server error are stripped before they reach stderr', async () => {
    const s = await serve(ansiServer(403));
    const r = await strataHostile(['image', `${s.host}/app:1`, '--insecure', '--quiet'], { env: FAST });
    expectInputError(r, /PWNED/);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.stderr).not.toContain(ANSI_TEXT);
  });

  describe('a real registry serving a tampered blob', () => {
    let registry: RunningRegistry;
    let dir: string;
    beforeAll(async () => {
      registry = await startRegistry();
      dir = mkdtempSync(join(tmpdir(), 'strata-hostile-net-'));
      const layout = join(dir, 'layout');
      const image = buildImage(layout, 'tampered', {
        layers: [
          {
            files: { 'etc/hostile.txt': 'bytes the registry will lie about\n'.repeat(50) },
            createdBy: 'ADD',
          },
        ],
      });
      await skopeoCopy(`oci:${layout}:tampered`, `docker://${registry.host}/hostile/tampered:1`, {
        format: 'oci',
      });
      const hex = image.layerDigests[0]!.slice('sha256:'.length);
      const data = join(registry.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
      const bytes = readFileSync(data);
      bytes[bytes.length - 1]! ^= 0xff; // same size, other bytes
      writeFileSync(data, bytes);
    });
    afterAll(async () => {
      await registry?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('ends with exit 2 and one line naming the digest mismatch, within seconds', async () => {
      const r = await strataHostile([
        'image',
        `${registry.host}/hostile/tampered:1`,
        '--insecure',
        '--scanners',
        'secret',
        '--quiet',
      ]);
      expectInputError(r, /content digest sha256:[0-9a-f]{64} does not match sha256:/);
      expect(r.ms).toBeLessThan(10_000);
    });
  });
});

describe('strata db update against a hostile mirror', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-hostile-db-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a mirror that trickles ends at --timeout with one line', async () => {
    const s = await serve(trickleServer(200));
    const r = await strataHostile(
      [
        'db',
        'update',
        '--db',
        join(dir, 'trickle.db'),
        '--mirror',
        s.url,
        '--ecosystems',
        'Go',
        '--timeout',
        '3s',
        '--quiet',
      ],
      { env: { STRATA_IDLE_TIMEOUT: '2s' } },
    );
    expectInputError(
      r,
      /^strata: GET http:\/\/127\.0\.0\.1:\d+\/Go\/all\.zip: did not finish within 3 s \(--timeout\)$/m,
    );
    expect(r.ms).toBeLessThan(15_000);
  });

  it('an export of nothing but bad records never replaces a good database', async () => {
    const good = join(dir, 'good.zip');
    const bad = join(dir, 'bad.zip');
    const record = (id: string) =>
      JSON.stringify({
        id,
        modified: '2024-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'Go', name: `example.com/m${id}` },
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
          },
        ],
      });
    await writeZip(
      good,
      Object.fromEntries(['GO-1', 'GO-2', 'GO-3'].map((id) => [`${id}.json`, record(id)])),
    );
    await writeZip(bad, Object.fromEntries([1, 2, 3, 4].map((i) => [`BAD-${i}.json`, '{"id": 1}'])));
    let serving = good;
    const s = await serve(
      httpServer((req, res) => {
        if (req.url !== '/Go/all.zip') return void res.writeHead(404).end();
        res.writeHead(200, { etag: `"${serving === good ? 'good' : 'bad'}"` }).end(readFileSync(serving));
      }),
    );
    const db = join(dir, 'kept.db');
    const update = ['db', 'update', '--db', db, '--mirror', s.url, '--ecosystems', 'Go', '--quiet'];
    expectCleanEnd(await strataHostile(update), [0]);
    const before = readFileSync(db);
    serving = bad;
    const r = await strataHostile(update);
    expectInputError(
      r,
      /^strata: Go: refused the export from .*: no valid record in the export, 4 bad .*; the database was not changed$/m,
    );
    expect(readFileSync(db).equals(before)).toBe(true);
    const status = await strataHostile(['db', 'status', '--db', db, '--format', 'json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ advisories: 3 });
  });
});

describe('strata k8s against a hostile API server', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-hostile-k8s-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function kubeconfig(server: string): string {
    const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: hostile',
        'clusters: [{ name: c, cluster: { server: "' + server + '" } }]',
        'users: [{ name: u, user: { token: "tok-0123456789abcdef" } }]',
        'contexts: [{ name: hostile, context: { cluster: c, user: u } }]',
      ].join('\n'),
    );
    return file;
  }

  it('an endless response body is cut off at its cap: one line, no crash', async () => {
    const s = await serve(endlessServer());
    const r = await strataHostile(['k8s', '--kubeconfig', kubeconfig(s.url), '--quiet'], { env: FAST });
    expectInputError(r, /cannot reach the API server .*more than the 16 MiB allowed for an api object/);
  });

  it('an endless continue chain ends; the lists are reported unreadable, quickly', async () => {
    let n = 0;
    const s = await serve(
      httpServer((req, res) => {
        if (req.url === '/version') return void res.end('{"gitVersion":"v1.30.0"}');
        n++;
        res.end(JSON.stringify({ items: [], metadata: { continue: `next-${n}` } }));
      }),
    );
    const r = await strataHostile(['k8s', '--kubeconfig', kubeconfig(s.url), '--format', 'json', '--quiet'], {
      env: FAST,
    });
    expectCleanEnd(r, [0]);
    const result = JSON.parse(r.stdout) as { errors: { message: string }[] };
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.every((e) => /continue chain/.test(e.message))).toBe(true);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('a server that trickles ends at --timeout', async () => {
    const s = await serve(trickleServer(200));
    const r = await strataHostile(['k8s', '--kubeconfig', kubeconfig(s.url), '--timeout', '3s', '--quiet'], {
      env: { STRATA_IDLE_TIMEOUT: '2s' },
    });
    expectInputError(r, /within 3 s \(--timeout\)/);
    expect(r.ms).toBeLessThan(15_000);
  });
});
