import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/image/index.js';
import {
  attestImage,
  generateKeyPair,
  readPrivateKey,
  readPublicKey,
  signImage,
  verifyImageAttestations,
  verifyImageSignatures,
} from '../../src/trust/index.js';
import { goTool, runGoTool } from '../support/cosign.js';
import { buildImage, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

const cosign = goTool('cosign');
if (!cosign) {
  console.warn(
    'trust-cosign: cosign is not installed (run .ci/install-go-tools.sh); cosign interop tests are skipped',
  );
}

const PASSWORD = 'interop-pass';
const REGISTRY_FLAGS = ['--allow-insecure-registry', '--allow-http-registry'];

describe.skipIf(!cosign)('interop with the real cosign CLI', () => {
  let registry: RunningRegistry;
  let work: string;
  let client: RegistryClient;
  const digests: Record<string, string> = {};
  const run = (args: string[]) => runGoTool(cosign!, args, { COSIGN_PASSWORD: PASSWORD });
  const img = (name: string) => `${registry.host}/interop/${name}:v1`;

  beforeAll(async () => {
    registry = await startRegistry();
    work = mkdtempSync(join(tmpdir(), 'strata-cosign-'));
    client = new RegistryClient({ insecure: true });
    for (const name of ['by-cosign', 'by-strata', 'att-cosign', 'att-strata']) {
      const layout = join(work, `layout-${name}`);
      const built = buildImage(layout, 'v1', {
        layers: [{ files: { 'etc/name': name }, createdBy: `ADD ${name}` }],
      });
      await skopeoCopy(`oci:${layout}:v1`, `docker://${img(name)}`);
      digests[name] = built.manifestDigest;
    }
    // a Strata key pair (cosign must read its encrypted key) and a cosign key pair (Strata must read it)
    const pair = await generateKeyPair(PASSWORD);
    writeFileSync(join(work, 'strata.key'), pair.encryptedPrivateKey);
    writeFileSync(join(work, 'strata.pub'), pair.publicKey);
    const gen = await runGoTool(cosign!, ['generate-key-pair', '--output-key-prefix', join(work, 'cosign')], {
      COSIGN_PASSWORD: PASSWORD,
    });
    expect(gen.code, gen.stderr).toBe(0);
  });

  afterAll(async () => {
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reads the key cosign generated (ENCRYPTED SIGSTORE PRIVATE KEY)', async () => {
    expect(readFileSync(join(work, 'cosign.key'), 'utf8')).toMatch(/ENCRYPTED SIGSTORE PRIVATE KEY/);
    const key = await readPrivateKey(join(work, 'cosign.key'), async () => PASSWORD);
    expect(key.asymmetricKeyType).toBe('ec');
  });

  it('verifies with Strata what cosign signed with a Strata-generated key', async () => {
    const r = await run([
      'sign',
      '--key',
      join(work, 'strata.key'),
      '--tlog-upload=false',
      '--yes',
      ...REGISTRY_FLAGS,
      `${registry.host}/interop/by-cosign@${digests['by-cosign']}`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const v = await verifyImageSignatures(img('by-cosign'), {
      client,
      keys: [await readPublicKey(join(work, 'strata.pub'))],
    });
    expect(v.verified).toBe(true);
    expect(v.signatures[0]).toMatchObject({ valid: true, payloadDigest: digests['by-cosign'] });
  });

  it('rejects with Strata a cosign signature checked against the wrong key', async () => {
    const v = await verifyImageSignatures(img('by-cosign'), {
      client,
      keys: [await readPublicKey(join(work, 'cosign.pub'))],
    });
    expect(v.verified).toBe(false);
    expect(v.signatures[0]?.reason).toBe('signature does not verify with the given key(s)');
  });

  it('verifies with `cosign verify --key` what Strata signed with cosign’s key', async () => {
    const key = await readPrivateKey(join(work, 'cosign.key'), async () => PASSWORD);
    await signImage(img('by-strata'), { client, key, annotations: { team: 'platform' } });
    const r = await run([
      'verify',
      '--key',
      join(work, 'cosign.pub'),
      '--insecure-ignore-tlog',
      '-a',
      'team=platform',
      ...REGISTRY_FLAGS,
      img('by-strata'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { critical: { image: { 'docker-manifest-digest': string } } }[];
    expect(out[0]?.critical.image['docker-manifest-digest']).toBe(digests['by-strata']);
  });

  it('makes cosign fail on a Strata signature with the wrong key', async () => {
    const r = await run([
      'verify',
      '--key',
      join(work, 'strata.pub'),
      '--insecure-ignore-tlog',
      ...REGISTRY_FLAGS,
      img('by-strata'),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no matching signatures|invalid signature/i);
  });

  it('verifies with Strata a cosign attestation, with a CEL condition on its predicate', async () => {
    const predicate = join(work, 'sbom.json');
    writeFileSync(
      predicate,
      JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ name: 'zlib' }] }),
    );
    const r = await run([
      'attest',
      '--key',
      join(work, 'cosign.key'),
      '--type',
      'cyclonedx',
      '--predicate',
      predicate,
      '--tlog-upload=false',
      '--yes',
      ...REGISTRY_FLAGS,
      img('att-cosign'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { compileCondition } = await import('../../src/trust/index.js');
    const v = await verifyImageAttestations(img('att-cosign'), {
      client,
      keys: [await readPublicKey(join(work, 'cosign.pub'))],
      type: 'cyclonedx',
      condition: compileCondition("object.predicate.components[0].name == 'zlib'"),
    });
    expect(v.verified, JSON.stringify(v.attestations)).toBe(true);
  });

  it('verifies with `cosign verify-attestation` what Strata attested', async () => {
    const key = await readPrivateKey(join(work, 'strata.key'), async () => PASSWORD);
    await attestImage(img('att-strata'), {
      client,
      key,
      type: 'vuln',
      predicate: { scanner: { uri: 'strata', result: {} } },
    });
    const r = await run([
      'verify-attestation',
      '--key',
      join(work, 'strata.pub'),
      '--type',
      'vuln',
      '--insecure-ignore-tlog',
      ...REGISTRY_FLAGS,
      img('att-strata'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const wrong = await run([
      'verify-attestation',
      '--key',
      join(work, 'cosign.pub'),
      '--type',
      'vuln',
      '--insecure-ignore-tlog',
      ...REGISTRY_FLAGS,
      img('att-strata'),
    ]);
    expect(wrong.code).not.toBe(0);
  });
});
