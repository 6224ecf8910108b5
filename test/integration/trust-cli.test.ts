import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';
import { buildImage, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

let registry: RunningRegistry;
let work: string;
const env = { STRATA_PASSWORD: 'cli-pass' };
const image = () => `${registry.host}/cli/app:v1`;

beforeAll(async () => {
  registry = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'strata-trust-cli-'));
  buildImage(join(work, 'layout'), 'v1', { layers: [{ files: { 'etc/app': 'cli' }, createdBy: 'ADD app' }] });
  await skopeoCopy(`oci:${join(work, 'layout')}:v1`, `docker://${image()}`);
});

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('strata key generate / sign / verify', () => {
  it('generates a cosign-format key pair from STRATA_PASSWORD', async () => {
    const r = await strata(['key', 'generate', '--prefix', join(work, 'team'), '--pkcs8'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(work, 'team.key'), 'utf8')).toMatch(
      /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/,
    );
    expect(readFileSync(join(work, 'team.pkcs8.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('exits 2 with one line when no password is available', async () => {
    const r = await strata(['sign', image(), '--key', join(work, 'team.key'), '--insecure'], {
      env: { STRATA_PASSWORD: undefined, COSIGN_PASSWORD: undefined },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^strata: .*team.key: set STRATA_PASSWORD/);
  });

  it('signs, then verifies (exit 0) with the public key, as JSON with a signatures list', async () => {
    const s = await strata(
      ['sign', image(), '--key', join(work, 'team.key'), '--insecure', '-a', 'env=prod'],
      { env },
    );
    expect(s.code, s.stderr).toBe(0);
    const v = await strata([
      'verify',
      image(),
      '--key',
      join(work, 'team.pub'),
      '--insecure',
      '-a',
      'env=prod',
      '-f',
      'json',
    ]);
    expect(v.code, v.stderr).toBe(0);
    const result = JSON.parse(v.stdout);
    expect(result.target.type).toBe('container_image');
    expect(result.findings).toEqual([]);
    expect(result.metadata.signatures[0]).toMatchObject({ valid: true, annotations: { env: 'prod' } });
  });

  it('exits 1 and reports a signature finding for a wrong annotation', async () => {
    const v = await strata([
      'verify',
      image(),
      '--key',
      join(work, 'team.pub'),
      '--insecure',
      '-a',
      'env=dev',
    ]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('FAIL tag');
    expect(v.stdout).toContain('annotation env=dev required, payload has env=prod');
  });

  it('checks registry integrity', async () => {
    const v = await strata(['verify', '--integrity', image(), '--insecure']);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/INTACT/);
  });
});

describe('strata sbom --sbom-attest', () => {
  it('pushes the SBOM of the scanned digest as an attestation that verify-attestation accepts', async () => {
    const key = join(work, 'team.key');
    const s = await strata(
      ['sbom', image(), '--insecure', '--sbom-attest', key, '-o', join(work, 'sbom.json')],
      {
        env,
      },
    );
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/attested the CycloneDX SBOM of .*@sha256:/);
    const v = await strata([
      'verify-attestation',
      image(),
      '--key',
      join(work, 'team.pub'),
      '--type',
      'cyclonedx',
      '--insecure',
      '--condition',
      "object.predicate.bomFormat == 'CycloneDX'",
    ]);
    expect(v.code, v.stderr).toBe(0);
  });

  it('refuses a target that is not in a registry, in one line', async () => {
    const r = await strata(
      ['sbom', `oci:${join(work, 'layout')}:v1`, '--sbom-attest', join(work, 'team.key')],
      { env },
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^strata: --sbom-attest: .* is not a registry image/);
  });
});
