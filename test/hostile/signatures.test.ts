import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanEnd, expectInputError, strataHostile } from '../support/hostile.js';
import { buildImage, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

// A registry can be tampered with: a `.sig` manifest with 10,000 signature layers must not hold
// `strata verify` for minutes fetching every payload (cosign refuses more than 100 as well).

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function pushBlob(registry: RunningRegistry, repo: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const start = await fetch(`${registry.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location') ?? '', registry.url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  return digest;
}

describe('strata verify against a signature manifest with 10,001 layers', () => {
  let registry: RunningRegistry;
  let dir: string;
  let ref: string;
  beforeAll(async () => {
    registry = await startRegistry();
    dir = mkdtempSync(join(tmpdir(), 'strata-hostile-sig-'));
    const layout = join(dir, 'layout');
    const image = buildImage(layout, 'app', {
      layers: [{ files: { 'etc/app.txt': 'app\n' }, createdBy: 'ADD' }],
    });
    await skopeoCopy(`oci:${layout}:app`, `docker://${registry.host}/hostile/sig:1`, { format: 'oci' });
    ref = `${registry.host}/hostile/sig:1`;
    const repo = 'hostile/sig';
    const payload = Buffer.from(
      JSON.stringify({
        critical: {
          identity: { 'docker-reference': `${registry.host}/${repo}` },
          image: { 'docker-manifest-digest': image.manifestDigest },
          type: 'cosign container image signature',
        },
        optional: null,
      }),
    );
    const payloadDigest = await pushBlob(registry, repo, payload);
    const config = Buffer.from('{}');
    const configDigest = await pushBlob(registry, repo, config);
    const layer = {
      mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
      size: payload.length,
      digest: payloadDigest,
      annotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQDnotarealsignature' },
    };
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          size: config.length,
          digest: configDigest,
        },
        layers: Array.from({ length: 10_001 }, () => layer),
      }),
    );
    const tag = `${image.manifestDigest.replace(':', '-')}.sig`;
    const put = await fetch(`${registry.url}/v2/${repo}/manifests/${tag}`, {
      method: 'PUT',
      body: manifest,
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    });
    if (put.status !== 201) throw new Error(`manifest upload: ${put.status} ${await put.text()}`);
    const keys = await strataHostile(['key', 'generate', '--prefix', join(dir, 'cosign')], {
      env: { STRATA_PASSWORD: 'pw' },
    });
    expectCleanEnd(keys, [0]);
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses them unread, in seconds, with one line naming the limit', async () => {
    const r = await strataHostile(['verify', ref, '--key', join(dir, 'cosign.pub'), '--insecure']);
    expectInputError(r, /10001 signatures or more, over the limit of 100/);
    expect(r.ms).toBeLessThan(20_000);
  });
});
