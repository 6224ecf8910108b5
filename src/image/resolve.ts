import type { Readable } from 'node:stream';
import { createdByPerLayer, diffIdsOf, MAX_CONFIG_BYTES, parseImageConfig } from './config.js';
import { ImageError } from './errors.js';
import { type Descriptor, isIndexMediaType, type ParsedManifest, parseManifest } from './manifest.js';
import { assertConfigMediaType, layerCompression } from './media-types.js';
import {
  DEFAULT_PLATFORM,
  formatPlatform,
  normalizePlatform,
  platformMatches,
  selectPlatform,
} from './platform.js';
import type { ImageConfig, LayerDescriptor, Platform } from './types.js';

/** Where manifests and blobs come from: a registry, an OCI layout directory, or a tar of one. */
export interface ContentSource {
  /** names the source in messages (`127.0.0.1:5000/app:1`, `oci:/tmp/layout`) */
  readonly where: string;
  /** a manifest or index, digest-verified and size-capped */
  readManifest(descriptor: Descriptor): Promise<Uint8Array>;
  /** a small blob (the config), digest-verified and size-capped */
  readBlob(descriptor: Descriptor, maxBytes: number): Promise<Buffer>;
  /** a blob as a stream that fails (never ends cleanly) when its digest or size does not match */
  openBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable>;
}

/** The root the resolution starts from: manifest bytes already read and verified. */
export interface ManifestRoot {
  readonly bytes: Uint8Array;
  readonly digest: string;
  readonly mediaType?: string;
}

export interface ResolvedImage {
  readonly manifestDigest: string;
  /** the index the platform manifest was chosen from, when the root was an index */
  readonly indexDigest?: string;
  readonly manifestMediaType: string;
  readonly config: ImageConfig;
  readonly rawConfig: Buffer;
  readonly configDigest: string;
  readonly layers: readonly LayerDescriptor[];
  /** the manifest's layer descriptors, index-aligned with `layers` */
  readonly blobs: readonly Descriptor[];
}

const MAX_INDEX_DEPTH = 4;

/** Chooses the entry of an index to descend into. */
export function pickFromIndex(
  manifests: readonly Descriptor[],
  platform: Platform,
  where: string,
): Descriptor {
  const withPlatform = manifests.filter((d) => d.platform !== undefined && !isIndexMediaType(d.mediaType));
  if (withPlatform.length > 0) return selectPlatform(withPlatform, platform, where);
  const only = manifests[0];
  if (manifests.length === 1 && only) return only;
  throw new ImageError(
    manifests.length === 0 ? 'MANIFEST_UNKNOWN' : 'INVALID_MANIFEST',
    manifests.length === 0
      ? `${where}: the index lists no manifests`
      : `${where}: the index lists ${manifests.length} manifests and none names its platform`,
  );
}

async function resolveManifest(
  source: ContentSource,
  root: ManifestRoot,
  platform: Platform,
): Promise<{
  digest: string;
  indexDigest?: string;
  manifest: Extract<ParsedManifest, { kind: 'manifest' }>;
}> {
  let digest = root.digest;
  let parsed = parseManifest(root.bytes, `${source.where} (${digest})`, root.mediaType);
  for (let depth = 0; parsed.kind === 'index'; depth++) {
    if (depth >= MAX_INDEX_DEPTH) {
      throw new ImageError(
        'INVALID_MANIFEST',
        `${source.where}: indexes nested deeper than ${MAX_INDEX_DEPTH}`,
      );
    }
    const next = pickFromIndex(parsed.manifests, platform, source.where);
    const bytes = await source.readManifest(next);
    digest = next.digest;
    parsed = parseManifest(bytes, `${source.where} (${digest})`, next.mediaType);
  }
  return { digest, ...(digest !== root.digest ? { indexDigest: root.digest } : {}), manifest: parsed };
}

/**
 * A single-platform image (no index) asked for by an explicit platform must be that platform:
 * scanning the amd64 image when arm64 was asked for would answer another question silently.
 */
function assertPlatform(config: ImageConfig, wanted: Platform, where: string): void {
  if (!config.architecture) return;
  const actual = {
    os: config.os ?? 'linux',
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
  };
  if (platformMatches(wanted, actual)) return;
  throw new ImageError(
    'PLATFORM_NOT_FOUND',
    `${where}: no image for platform ${formatPlatform(normalizePlatform(wanted))}; available: ${formatPlatform(
      normalizePlatform(actual),
    )} (a single-platform image)`,
  );
}

/**
 * Resolves manifest -> (platform) -> config -> layers, verifying every digest on the way.
 * Without `platform`, linux/amd64 is picked from an index and a single-platform image is taken
 * as it is; with it, the image must be that platform.
 */
export async function resolveImage(
  source: ContentSource,
  root: ManifestRoot,
  platform?: Platform,
): Promise<ResolvedImage> {
  const { digest, indexDigest, manifest } = await resolveManifest(source, root, platform ?? DEFAULT_PLATFORM);
  const where = `${source.where} (${digest})`;
  assertConfigMediaType(manifest.config.mediaType, where);
  for (const [i, l] of manifest.layers.entries()) layerCompression(l.mediaType, `${where} layer ${i}`);
  const rawConfig = await source.readBlob(manifest.config, MAX_CONFIG_BYTES);
  const config = parseImageConfig(rawConfig, `${where} config ${manifest.config.digest}`);
  if (platform && !indexDigest) assertPlatform(config, platform, source.where);
  const diffIds = diffIdsOf(config, manifest.layers.length, where);
  const createdBy = createdByPerLayer(config, manifest.layers.length);
  const layers = manifest.layers.map((l, i) => {
    const by = createdBy[i];
    return {
      digest: l.digest,
      diffId: diffIds[i]!,
      size: l.size,
      mediaType: l.mediaType,
      ...(by !== undefined ? { createdBy: by } : {}),
    };
  });
  return {
    manifestDigest: digest,
    ...(indexDigest ? { indexDigest } : {}),
    manifestMediaType: manifest.mediaType,
    config,
    rawConfig,
    configDigest: manifest.config.digest,
    layers,
    blobs: manifest.layers,
  };
}
