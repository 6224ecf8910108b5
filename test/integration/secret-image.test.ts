import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretAnalyzer, scanImageConfig } from '../../src/analyzers/secret/index.js';
import { ALNUM, FakeSecrets } from '../../src/analyzers/secret/testing/fake-secrets.js';
import type { Finding } from '../../src/core/types.js';
import { openImage } from '../../src/image/index.js';
import type { ImageHandle } from '../../src/image/types.js';
import { walkImage } from '../../src/image/walker/index.js';
import { run } from '../support/exec.js';

/**
 * An OCI image built by umoci, the way a careless Dockerfile would: a deploy key and a `.env`
 * in layer 1, "removed" in layer 2, and a token and a build argument in the config. The
 * secret analyzer must still find both files, in layer 1, and the config secrets.
 */
const fake = new FakeSecrets(1618);
const token = `ghp_${fake.chars(ALNUM, 36)}`;
const envToken = `glpat-${fake.chars(ALNUM, 20)}`;
const buildPassword = fake.password(20);
const key = fake.pem('OPENSSH PRIVATE KEY');

let work: string;
let image: ImageHandle;
let layerFindings: readonly Finding[];
let configFindings: readonly Finding[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-secret-'));
  const layout = join(work, 'layout');
  const src = join(work, 'src');
  mkdirSync(join(src, 'ssh'), { recursive: true });
  mkdirSync(join(src, 'app'), { recursive: true });
  writeFileSync(join(src, 'ssh/id_ed25519'), key, { mode: 0o600 });
  writeFileSync(join(src, 'app/.env'), `NODE_ENV=production\nGITLAB_TOKEN=${envToken}\n`);
  writeFileSync(join(src, 'app/.env.clean'), 'NODE_ENV=production\n');
  const img = `${layout}:app`;
  await run('umoci', ['init', '--layout', layout]);
  await run('umoci', ['new', '--image', img]);
  await run('umoci', ['insert', '--image', img, join(src, 'ssh'), '/root/.ssh']);
  await run('umoci', ['insert', '--image', img, join(src, 'app/.env'), '/srv/app/.env']);
  await run('umoci', ['insert', '--image', img, '--whiteout', '/root/.ssh/id_ed25519']);
  await run('umoci', ['insert', '--image', img, join(src, 'app/.env.clean'), '/srv/app/.env']);
  await run('umoci', [
    'config',
    '--image',
    img,
    '--config.env',
    `GITHUB_TOKEN=${token}`,
    '--config.env',
    'NODE_ENV=production',
    '--history.created_by',
    `RUN |1 DB_PASSWORD=${buildPassword} /bin/sh -c ./migrate.sh`,
  ]);
  image = await openImage({ kind: 'oci', dir: layout, tag: 'app' });
  const out = await walkImage(image, { analyzers: [createSecretAnalyzer()] });
  expect(out.errors).toEqual([]);
  layerFindings = out.layerFindings;
  configFindings = scanImageConfig(image.config);
}, 120_000);

afterAll(async () => {
  await image?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('secrets in a real OCI image (umoci)', () => {
  it('finds the deleted key and the overwritten .env in the layers that hold them', () => {
    const layers = image.layers.map((l) => l.digest);
    expect(layers).toHaveLength(4);
    expect(
      layerFindings.map((f) => [f.id, f.location.path, f.location.line, layers.indexOf(f.location.layer!)]),
    ).toEqual([
      ['private-key', 'root/.ssh/id_ed25519', 1, 0],
      ['gitlab-pat', 'srv/app/.env', 2, 1],
    ]);
  });

  it('finds the token in Env and the password in the build argument of the history', () => {
    expect(configFindings.map((f) => [f.id, f.location.path])).toEqual([
      ['github-pat', 'config:Env[0]'],
      ['env-secret', expect.stringMatching(/^config:history\[\d+\]\.created_by$/)],
    ]);
  });

  it('shows no secret value unredacted', () => {
    const json = JSON.stringify([layerFindings, configFindings]);
    for (const raw of [token, envToken, buildPassword, ...key.split('\n').slice(1, -2)]) {
      expect(json).not.toContain(raw);
    }
  });
});
