import type { KeyObject } from 'node:crypto';
import type { ImageReference, RegistryClient } from '../../image/index.js';
import { appendCosignLayer, COSIGN, cosignTag, resolveImage } from '../sign/index.js';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from './dsse.js';
import { predicateTypeUri } from './predicate-types.js';
import { buildStatement } from './statement.js';

export interface AttestOptions {
  readonly client: RegistryClient;
  readonly key: KeyObject;
  /** a cosign shorthand (`cyclonedx`, `spdx`, `vuln`, `slsaprovenance`, ...) or a URI */
  readonly type: string;
  readonly predicate: unknown;
  readonly statementVersion?: 'v0.1' | 'v1';
}

export interface AttestResult {
  readonly image: string;
  readonly digest: string;
  readonly predicateType: string;
  readonly attestationTag: string;
  readonly attestationManifest: string;
  readonly appended: boolean;
}

/**
 * Attests as `cosign attest --key` does: an in-toto Statement about the image digest in a DSSE
 * envelope, appended as a layer to `sha256-<hex>.att` with the `predicateType` annotation.
 */
export async function attestImage(
  image: string | ImageReference,
  opts: AttestOptions,
): Promise<AttestResult> {
  const { ref, digest, name } = await resolveImage(opts.client, image);
  const predicateType = predicateTypeUri(opts.type);
  const statement = buildStatement(ref, digest, predicateType, opts.predicate, opts.statementVersion);
  const envelope = signEnvelope(opts.key, IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)));
  const repo = { registry: ref.registry, repository: ref.repository };
  const tag = cosignTag(digest, 'att');
  const pushed = await appendCosignLayer(opts.client, repo, tag, {
    bytes: Buffer.from(JSON.stringify(envelope)),
    mediaType: COSIGN.dsseEnvelope,
    // cosign writes an empty signature annotation on attestation layers (the envelope holds it)
    annotations: { [COSIGN.signatureAnnotation]: '', [COSIGN.predicateTypeAnnotation]: predicateType },
  });
  return {
    image: name,
    digest,
    predicateType,
    attestationTag: `${ref.registry}/${ref.repository}:${tag}`,
    attestationManifest: pushed.manifestDigest,
    appended: pushed.appended,
  };
}

/**
 * `strata image --sbom-attest`: attests the SBOM Strata produced (CycloneDX or SPDX JSON, told
 * apart by its own fields) on the scanned image.
 */
export async function attestSbom(
  image: string | ImageReference,
  sbomJson: string,
  key: KeyObject,
  client: RegistryClient,
): Promise<AttestResult> {
  const sbom = JSON.parse(sbomJson) as { bomFormat?: unknown; spdxVersion?: unknown };
  const type =
    sbom.bomFormat === 'CycloneDX' ? 'cyclonedx' : sbom.spdxVersion !== undefined ? 'spdx' : 'custom';
  return attestImage(image, { client, key, type, predicate: sbom });
}
