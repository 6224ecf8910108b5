import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ANSI_TEXT,
  ansiServer,
  echoCredentialsServer,
  endlessServer,
  silentServer,
  type TestServer,
  trickleServer,
} from '../../src/transport/testing/servers.js';
import { expectCleanEnd, expectInputError, strataHostile } from '../support/hostile.js';
import { buildImage, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

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
