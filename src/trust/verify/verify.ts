import type { KeyObject } from 'node:crypto';
import type { ImageReference, RegistryClient, RepositoryRef } from '../../image/index.js';
import { TrustError } from '../errors.js';
import { keyId, verifyBytes } from '../keys/index.js';
import { COSIGN, dockerReference, parsePayload, resolveImage } from '../sign/index.js';
import { type FoundLayer, findCosignLayers, MAX_PAYLOAD_BYTES } from './find-signatures.js';
import type { ImageVerification, SignatureCheck } from './types.js';

export interface VerifyOptions {
  readonly client: RegistryClient;
  /** public keys; a signature is valid when any of them verifies it */
  readonly keys: readonly KeyObject[];
  /** annotations every valid signature's payload must carry (`-a key=value`) */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Verifies an image's cosign signatures: each is checked over its exact payload bytes, then the
 * payload must name this image's digest and repository and carry the required annotations.
 */
export async function verifyImageSignatures(
  image: string | ImageReference,
  opts: VerifyOptions,
): Promise<ImageVerification> {
  const { ref, digest, name } = await resolveImage(opts.client, image);
  const repo = { registry: ref.registry, repository: ref.repository };
  const layers = await findCosignLayers(opts.client, repo, digest, 'sig', COSIGN.simpleSigning);
  const signatures: SignatureCheck[] = [];
  for (const found of layers) signatures.push(await checkLayer(opts, repo, digest, found));
  signatures.sort(
    (a, b) =>
      a.source.localeCompare(b.source) ||
      a.manifest.localeCompare(b.manifest) ||
      a.layer.localeCompare(b.layer),
  );
  return { image: name, digest, signatures, verified: signatures.some((s) => s.valid) };
}

async function checkLayer(
  opts: VerifyOptions,
  repo: RepositoryRef,
  digest: string,
  found: FoundLayer,
): Promise<SignatureCheck> {
  const base = { source: found.source, manifest: found.manifest, layer: found.layer.digest };
  const fail = (reason: string, extra: Partial<SignatureCheck> = {}): SignatureCheck => ({
    ...base,
    valid: false,
    reason,
    keyIds: [],
    ...extra,
  });
  const signature = found.layer.annotations?.[COSIGN.signatureAnnotation];
  if (!signature) return fail(`no ${COSIGN.signatureAnnotation} annotation`);
  let payloadBytes: Buffer;
  try {
    payloadBytes = await opts.client.readBlob(repo, found.layer.digest, MAX_PAYLOAD_BYTES, found.layer.size);
  } catch (err) {
    return fail(`payload blob unreadable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const sig = Buffer.from(signature, 'base64');
  const keyIds = opts.keys.filter((k) => verifyBytes(k, payloadBytes, sig)).map(keyId);
  if (keyIds.length === 0) return fail('signature does not verify with the given key(s)');
  let payload: ReturnType<typeof parsePayload>;
  try {
    payload = parsePayload(payloadBytes, found.layer.digest);
  } catch (err) {
    return fail(err instanceof TrustError ? err.message : String(err));
  }
  const claims = {
    dockerReference: payload.dockerReference,
    payloadDigest: payload.manifestDigest,
    annotations: payload.annotations,
  };
  if (payload.manifestDigest !== digest) {
    return fail(`payload signs ${payload.manifestDigest}, not the image digest ${digest}`, claims);
  }
  const expectedRef = dockerReference(repo);
  if (payload.dockerReference !== expectedRef) {
    return fail(`payload docker-reference "${payload.dockerReference}" is not "${expectedRef}"`, claims);
  }
  for (const [k, v] of Object.entries(opts.annotations ?? {})) {
    const got = payload.annotations[k];
    if (got !== v) {
      return fail(
        `annotation ${k}=${v} required, payload has ${got === undefined ? 'none' : `${k}=${String(got)}`}`,
        claims,
      );
    }
  }
  return { ...base, valid: true, keyIds, ...claims };
}
