import { parseDigest, sha256 } from '../../core/digest.js';
import {
  type Descriptor,
  ImageError,
  type ImageReference,
  MEDIA_TYPES,
  parseManifest,
  type RegistryClient,
  type RepositoryRef,
} from '../../image/index.js';
import { goJson } from './go-json.js';

/** Media types and annotations of cosign's registry layout. */
export const COSIGN = {
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
  signatureAnnotation: 'dev.cosignproject.cosign/signature',
  certificateAnnotation: 'dev.sigstore.cosign/certificate',
  bundleAnnotation: 'dev.sigstore.cosign/bundle',
  predicateTypeAnnotation: 'predicateType',
  sigArtifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
} as const;

export type CosignSuffix = 'sig' | 'att';

/** `sha256-<hex>.sig`: the tag cosign stores an image's signatures (or `.att` attestations) under. */
export function cosignTag(digest: string, suffix: CosignSuffix): string {
  const { algorithm, hex } = parseDigest(digest);
  return `${algorithm}-${hex}.${suffix}`;
}

/** The layers of a cosign signature/attestation manifest, or [] when the tag does not exist. */
export async function readCosignLayers(client: RegistryClient, ref: ImageReference): Promise<Descriptor[]> {
  const head = await client.headManifest(ref, [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
  if (!head) return [];
  const { bytes } = await client.getManifest(ref, [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
  const parsed = parseManifest(bytes, `${ref.repository}:${ref.tag ?? ref.digest}`);
  if (parsed.kind !== 'manifest') {
    throw new ImageError('INVALID_MANIFEST', `${ref.repository}:${ref.tag}: cosign tag holds an index`);
  }
  return [...parsed.layers];
}

export interface NewLayer {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Appends a layer to the cosign manifest at `tag` (creating it), as cosign's AppendSignatures
 * does: an OCI manifest whose config is an empty image config with one diff_id per layer. An
 * identical layer (same digest and annotations) already there is not added twice.
 */
export async function appendCosignLayer(
  client: RegistryClient,
  repo: RepositoryRef,
  tag: string,
  layer: NewLayer,
): Promise<{ manifestDigest: string; appended: boolean }> {
  const ref: ImageReference = { ...repo, tag };
  const existing = await readCosignLayers(client, ref);
  const digest = sha256(layer.bytes);
  const duplicate = existing.some(
    (l) => l.digest === digest && sameAnnotations(l.annotations ?? {}, layer.annotations),
  );
  const layers: Descriptor[] = duplicate
    ? existing
    : [
        ...existing,
        { mediaType: layer.mediaType, digest, size: layer.bytes.length, annotations: layer.annotations },
      ];
  await client.putBlob(repo, layer.bytes);
  const config = Buffer.from(
    goJson({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
  const configDesc = await client.putBlob(repo, config);
  const manifest = Buffer.from(
    goJson({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        size: configDesc.size,
        digest: configDesc.digest,
      },
      layers: layers.map((l) => ({
        mediaType: l.mediaType,
        size: l.size,
        digest: l.digest,
        ...(l.annotations ? { annotations: l.annotations } : {}),
      })),
    }),
  );
  const manifestDigest = await client.putManifest(ref, manifest, MEDIA_TYPES.ociManifest);
  return { manifestDigest, appended: !duplicate };
}

function sameAnnotations(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
