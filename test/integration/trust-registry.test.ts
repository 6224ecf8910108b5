import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/image/index.js';
import {
  appendCosignLayer,
  attestImage,
  attestSbom,
  buildPayload,
  COSIGN,
  compileCondition,
  cosignTag,
  evaluatePolicy,
  parsePolicy,
  signBytes,
  signImage,
  verifyImageAttestations,
  verifyImageSignatures,
  verifyIntegrity,
} from '../../src/trust/index.js';
import { buildImage, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

let registry: RunningRegistry;
let work: string;
let client: RegistryClient;
const pair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const team = pair();
const stranger = pair();
const digests: Record<string, string> = {};

async function push(name: string, content: string): Promise<string> {
  const layout = join(work, `layout-${name}`);
  const built = buildImage(layout, 'v1', {
    layers: [{ files: { 'etc/app': content }, createdBy: `ADD ${name}` }],
  });
  await skopeoCopy(`oci:${layout}:v1`, `docker://${registry.host}/${name}:v1`);
  return built.manifestDigest;
}

const img = (name: string, tag = 'v1') => `${registry.host}/${name}:${tag}`;

beforeAll(async () => {
  registry = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'strata-trust-'));
  client = new RegistryClient({ insecure: true });
  digests.app = await push('team/app', 'app v1');
  digests.other = await push('team/other', 'other v1');
  digests.plain = await push('team/plain', 'plain v1');
  digests.corrupt = await push('team/corrupt', 'corrupt me please');
});

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('signing and verifying on a real registry (docker-registry 2.8)', () => {
  it('signs the digest a tag names and verifies it with the public key', async () => {
    const r = await signImage(img('team/app'), {
      client,
      key: team.privateKey,
      annotations: { env: 'prod' },
    });
    expect(r.digest).toBe(digests.app);
    expect(r.signatureTag).toBe(`${registry.host}/team/app:${cosignTag(digests.app!, 'sig')}`);
    const v = await verifyImageSignatures(img('team/app'), {
      client,
      keys: [team.publicKey],
      annotations: { env: 'prod' },
    });
    expect(v.verified).toBe(true);
    expect(v.signatures).toEqual([
      expect.objectContaining({ valid: true, source: 'tag', payloadDigest: digests.app }),
    ]);
  });

  it('appends a second signature to the same .sig manifest and does not duplicate an identical one', async () => {
    await signImage(img('team/app'), { client, key: stranger.privateKey });
    const v = await verifyImageSignatures(img('team/app'), {
      client,
      keys: [team.publicKey, stranger.publicKey],
    });
    expect(v.signatures.filter((s) => s.valid)).toHaveLength(2);
  });

  it('fails with a wrong key, saying the signature does not verify', async () => {
    const other = pair();
    const v = await verifyImageSignatures(img('team/app'), { client, keys: [other.publicKey] });
    expect(v.verified).toBe(false);
    expect(v.signatures.every((s) => s.reason === 'signature does not verify with the given key(s)')).toBe(
      true,
    );
  });

  it('fails when a required annotation is missing from the payload', async () => {
    const v = await verifyImageSignatures(img('team/app'), {
      client,
      keys: [team.publicKey],
      annotations: { env: 'dev' },
    });
    expect(v.verified).toBe(false);
    expect(v.signatures.find((s) => s.keyIds.length === 0 && s.reason?.includes('annotation'))?.reason).toBe(
      'annotation env=dev required, payload has env=prod',
    );
  });

  it('fails for a re-tagged (swapped) image: the new digest has no signatures', async () => {
    const layout = join(work, 'layout-evil');
    buildImage(layout, 'v1', { layers: [{ files: { 'etc/app': 'evil' }, createdBy: 'ADD evil' }] });
    await skopeoCopy(`oci:${layout}:v1`, `docker://${registry.host}/team/app:swapped`);
    await skopeoCopy(`docker://${registry.host}/team/app:v1`, `docker://${registry.host}/team/app:good`);
    await skopeoCopy(`oci:${layout}:v1`, `docker://${registry.host}/team/app:good`);
    const v = await verifyImageSignatures(img('team/app', 'good'), { client, keys: [team.publicKey] });
    expect(v.verified).toBe(false);
    expect(v.digest).not.toBe(digests.app);
    expect(v.signatures).toEqual([]);
  });

  it('fails when a valid signature of another digest is copied to the swapped image', async () => {
    const swapped = (
      await client.getManifest({ registry: registry.host, repository: 'team/app', tag: 'swapped' })
    ).digest;
    const payload = buildPayload({ registry: registry.host, repository: 'team/app' }, digests.app!);
    await appendCosignLayer(
      client,
      { registry: registry.host, repository: 'team/app' },
      cosignTag(swapped, 'sig'),
      {
        bytes: payload,
        mediaType: COSIGN.simpleSigning,
        annotations: { [COSIGN.signatureAnnotation]: signBytes(team.privateKey, payload).toString('base64') },
      },
    );
    const v = await verifyImageSignatures(img('team/app', 'swapped'), { client, keys: [team.publicKey] });
    expect(v.verified).toBe(false);
    expect(v.signatures[0]?.reason).toBe(`payload signs ${digests.app}, not the image digest ${swapped}`);
  });

  it('fails for a tampered payload that keeps the original signature', async () => {
    const repo = { registry: registry.host, repository: 'team/plain' };
    const genuine = buildPayload(repo, digests.plain!);
    const sig = signBytes(team.privateKey, genuine).toString('base64');
    const tampered = buildPayload(repo, digests.plain!, { approved: 'yes' });
    await appendCosignLayer(client, repo, cosignTag(digests.plain!, 'sig'), {
      bytes: tampered,
      mediaType: COSIGN.simpleSigning,
      annotations: { [COSIGN.signatureAnnotation]: sig },
    });
    const v = await verifyImageSignatures(img('team/plain'), { client, keys: [team.publicKey] });
    expect(v.verified).toBe(false);
    expect(v.signatures[0]?.reason).toBe('signature does not verify with the given key(s)');
  });

  it('fails when the signed docker-reference names another repository', async () => {
    const repo = { registry: registry.host, repository: 'team/other' };
    const payload = buildPayload({ registry: registry.host, repository: 'team/elsewhere' }, digests.other!);
    await appendCosignLayer(client, repo, cosignTag(digests.other!, 'sig'), {
      bytes: payload,
      mediaType: COSIGN.simpleSigning,
      annotations: { [COSIGN.signatureAnnotation]: signBytes(team.privateKey, payload).toString('base64') },
    });
    const v = await verifyImageSignatures(img('team/other'), { client, keys: [team.publicKey] });
    expect(v.signatures[0]?.reason).toBe(
      `payload docker-reference "${registry.host}/team/elsewhere" is not "${registry.host}/team/other"`,
    );
  });
});

describe('attestations on a real registry', () => {
  const sbom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    components: [{ name: 'openssl', version: '3.0.11' }],
  };

  it('attests an SBOM and verifies type, subject and a CEL condition', async () => {
    const r = await attestSbom(img('team/app'), JSON.stringify(sbom), team.privateKey, client);
    expect(r.predicateType).toBe('https://cyclonedx.org/bom');
    const v = await verifyImageAttestations(img('team/app'), {
      client,
      keys: [team.publicKey],
      type: 'cyclonedx',
      condition: compileCondition("object.predicate.components.exists(c, c.name == 'openssl')"),
    });
    expect(v.verified).toBe(true);
    expect(v.statements[0]?.subject[0]?.digest.sha256).toBe(digests.app!.slice(7));
  });

  it('fails a condition that the predicate does not meet, saying so', async () => {
    const v = await verifyImageAttestations(img('team/app'), {
      client,
      keys: [team.publicKey],
      type: 'cyclonedx',
      condition: compileCondition('size(object.predicate.components) == 0'),
    });
    expect(v.verified).toBe(false);
    expect(v.attestations[0]?.reason).toBe('condition size(object.predicate.components) == 0 is false');
  });

  it('finds nothing of another predicate type and fails with a wrong key', async () => {
    expect(
      (await verifyImageAttestations(img('team/app'), { client, keys: [team.publicKey], type: 'spdx' }))
        .verified,
    ).toBe(false);
    const v = await verifyImageAttestations(img('team/app'), {
      client,
      keys: [pair().publicKey],
      type: 'cyclonedx',
    });
    expect(v.attestations[0]?.reason).toBe('envelope signature does not verify with the given key(s)');
  });

  it('attests a vuln predicate with a URI type too', async () => {
    await attestImage(img('team/app'), {
      client,
      key: team.privateKey,
      type: 'https://example.com/custom/v1',
      predicate: { ok: true },
    });
    const v = await verifyImageAttestations(img('team/app'), {
      client,
      keys: [team.publicKey],
      type: 'https://example.com/custom/v1',
    });
    expect(v.verified).toBe(true);
  });
});

describe('verification policy', () => {
  const policyText = (key: KeyObject, extra = '') => `policies:
  - name: team
    images: ["${registry.host}/team/*"]
    keys:
      - ${JSON.stringify(key.export({ format: 'pem', type: 'spki' }).toString())}
${extra}`;

  it('allows a signed image with a required attestation whose condition holds', async () => {
    const policy = parsePolicy(
      policyText(
        team.publicKey,
        `    attestations:\n      - type: cyclonedx\n        condition: "size(object.predicate.components) > 0"\n`,
      ),
      'p.yaml',
    );
    const d = await evaluatePolicy(img('team/app'), policy, { client });
    expect(d).toMatchObject({ allowed: true, rules: [{ rule: 'team', satisfied: true, reasons: [] }] });
  });

  it('denies when the policy key did not sign, and names why', async () => {
    const d = await evaluatePolicy(img('team/app'), parsePolicy(policyText(pair().publicKey), 'p.yaml'), {
      client,
    });
    expect(d.allowed).toBe(false);
    expect(d.rules[0]?.reasons[0]).toMatch(/^no valid key signature: signature does not verify/);
  });

  it('denies an unsigned image and an image no rule covers', async () => {
    const policy = parsePolicy(policyText(team.publicKey), 'p.yaml');
    expect((await evaluatePolicy(img('team/corrupt'), policy, { client })).rules[0]?.reasons).toEqual([
      'no signatures found',
    ]);
    const elsewhere = parsePolicy(policyText(team.publicKey).replace('/team/*', '/prod/*'), 'p.yaml');
    expect((await evaluatePolicy(img('team/app'), elsewhere, { client })).rules[0]?.reasons).toEqual([
      'no policy matches this image',
    ]);
  });
});

describe('registry integrity', () => {
  it('finds an intact image intact', async () => {
    const r = await verifyIntegrity(img('team/other'), client);
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.kind)).toEqual(['manifest', 'config', 'layer']);
  });

  it('catches a blob corrupted in registry storage', async () => {
    const manifest = JSON.parse(
      (
        await client.getManifest({
          registry: registry.host,
          repository: 'team/corrupt',
          digest: digests.corrupt!,
        })
      ).bytes.toString(),
    ) as { layers: { digest: string }[] };
    const layer = manifest.layers[0]!.digest.slice(7);
    const file = join(registry.storage, 'docker/registry/v2/blobs/sha256', layer.slice(0, 2), layer, 'data');
    const bytes = readFileSync(file);
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 0xff, bytes.length - 1);
    writeFileSync(file, bytes);
    const r = await verifyIntegrity(img('team/corrupt'), client);
    expect(r.ok).toBe(false);
    expect(r.checks.find((c) => !c.ok)).toMatchObject({ kind: 'layer', digest: `sha256:${layer}` });
    expect(r.checks.find((c) => !c.ok)?.reason).toMatch(/digest|sha256/i);
  });

  it('catches a manifest whose bytes do not hash to the digest asked for', async () => {
    const top = (
      await client.getManifest({ registry: registry.host, repository: 'team/other', tag: 'v1' })
    ).digest.slice(7);
    const file = join(registry.storage, 'docker/registry/v2/blobs/sha256', top.slice(0, 2), top, 'data');
    const bytes = readFileSync(file);
    writeFileSync(file, Buffer.from(bytes.toString().replace('"schemaVersion":2', '"schemaVersion": 2')));
    const r = await verifyIntegrity(`${registry.host}/team/other@sha256:${top}`, client);
    expect(r.ok).toBe(false);
    expect(r.checks[0]?.reason).toMatch(/DIGEST|digest/);
  });
});
