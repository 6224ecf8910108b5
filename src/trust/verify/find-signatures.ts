import {
  type Descriptor,
  ImageError,
  type ImageReference,
  MEDIA_TYPES,
  parseManifest,
  type RegistryClient,
  type RepositoryRef,
} from '../../image/index.js';
import { TrustError } from '../errors.js';
import { COSIGN, type CosignSuffix, cosignTag, readCosignLayers } from '../sign/index.js';
import type { SignatureSource } from './types.js';

export interface FoundLayer {
  readonly source: SignatureSource;
  readonly manifest: string;
  readonly layer: Descriptor;
}

/** The maximum size of one signature payload or attestation envelope we read. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/**
 * The most signatures (or attestations) of one image we read, as cosign limits them (100): a
 * `.sig` manifest with 10,000 layers must not hold `verify` for minutes fetching each payload.
 */
export const MAX_SIGNATURE_LAYERS = 100;

function tooMany(repo: RepositoryRef, digest: string, suffix: CosignSuffix, count: number): TrustError {
  return new TrustError(
    'TOO_MANY_SIGNATURES',
    `${repo.registry}/${repo.repository}@${digest}: ${count} ${suffix === 'sig' ? 'signatures' : 'attestations'} or more, over the limit of ${MAX_SIGNATURE_LAYERS} (refused unread)`,
  );
}

/**
 * Every cosign signature (or attestation) layer of an image: those in the `sha256-<hex>.sig`
 * (`.att`) manifest, and those in OCI 1.1 referrers of the cosign artifact type. Registries
 * without the referrers API simply have none there.
 */
export async function findCosignLayers(
  client: RegistryClient,
  repo: RepositoryRef,
  digest: string,
  suffix: CosignSuffix,
  mediaType: string,
): Promise<FoundLayer[]> {
  const found: FoundLayer[] = [];
  const tagRef: ImageReference = { ...repo, tag: cosignTag(digest, suffix) };
  const tagLayers = await readCosignLayers(client, tagRef);
  if (tagLayers.length > 0) {
    const head = await client.headManifest(tagRef, [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
    for (const layer of tagLayers) {
      if (layer.mediaType === mediaType) found.push({ source: 'tag', manifest: head?.digest ?? '', layer });
    }
    if (found.length > MAX_SIGNATURE_LAYERS) throw tooMany(repo, digest, suffix, found.length);
  }
  const referrers = await referrersOf(client, repo, digest);
  if (referrers.length > MAX_SIGNATURE_LAYERS) throw tooMany(repo, digest, suffix, referrers.length);
  for (const referrer of referrers) {
    if (referrer.mediaType !== MEDIA_TYPES.ociManifest) continue;
    const ref: ImageReference = { ...repo, digest: referrer.digest };
    const { bytes } = await client.getManifest(ref, [MEDIA_TYPES.ociManifest]);
    const parsed = parseManifest(bytes, `${repo.repository}@${referrer.digest}`);
    if (parsed.kind !== 'manifest') continue;
    for (const layer of parsed.layers) {
      if (layer.mediaType === mediaType) found.push({ source: 'referrer', manifest: referrer.digest, layer });
    }
    if (found.length > MAX_SIGNATURE_LAYERS) throw tooMany(repo, digest, suffix, found.length);
  }
  return found;
}

async function referrersOf(
  client: RegistryClient,
  repo: RepositoryRef,
  digest: string,
): Promise<Descriptor[]> {
  try {
    return await client.referrers(repo, digest);
  } catch (err) {
    // a registry that answers the referrers path with something else than an index has none
    if (
      err instanceof ImageError &&
      (err.code === 'INVALID_MANIFEST' || err.code === 'UNSUPPORTED_MEDIA_TYPE')
    ) {
      return [];
    }
    throw err;
  }
}

export { COSIGN };
