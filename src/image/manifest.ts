import { defined, tolerant, validEntries, z } from '../core/schema.js';
import { ImageError } from './errors.js';
import { MEDIA_TYPES } from './media-types.js';
import { checkImageJson, DigestText, readImageJson } from './read-json.js';
import type { Platform as PlatformType } from './types.js';

/** A content descriptor (OCI image spec, descriptor.md), as far as Strata uses it. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: PlatformType;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly artifactType?: string;
}

export type ParsedManifest =
  | { readonly kind: 'index'; readonly mediaType: string; readonly manifests: readonly Descriptor[] }
  | {
      readonly kind: 'manifest';
      readonly mediaType: string;
      readonly config: Descriptor;
      readonly layers: readonly Descriptor[];
    };

/** Manifests are small; anything bigger is refused before parsing (as containerd and distribution do). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList]);
const MANIFEST_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
const SCHEMA1_TYPES = new Set<string>([MEDIA_TYPES.dockerSchema1, MEDIA_TYPES.dockerSchema1Signed]);

const PlatformField = z
  .object({ os: z.string(), architecture: z.string(), variant: tolerant(z.string()) })
  .transform(
    (p): PlatformType => ({
      os: p.os,
      architecture: p.architecture,
      ...(p.variant ? { variant: p.variant } : {}),
    }),
  );

/** A descriptor: mediaType, digest and size must be exact; the optional parts are dropped when malformed. */
export const DescriptorSchema = z
  .object({
    mediaType: z.string().min(1, { error: 'expected a media type, got ""' }),
    digest: DigestText,
    size: z.int().nonnegative({ error: 'expected a non-negative integer' }),
    platform: tolerant(PlatformField),
    annotations: tolerant(validEntries(z.string())),
    artifactType: tolerant(z.string()),
  })
  .transform((d): Descriptor => defined(d));

/** Checks one descriptor; failures are INVALID_MANIFEST errors naming `where` and the field. */
export function parseDescriptor(v: unknown, where: string): Descriptor {
  return checkImageJson(DescriptorSchema, v, where, 'INVALID_MANIFEST');
}

// The fields that decide the kind; a field of the wrong type reads as absent, as OCI allows omitting them.
const Head = z.object({
  schemaVersion: z.unknown(),
  mediaType: tolerant(z.string()),
  manifests: tolerant(z.array(z.unknown())),
  config: tolerant(z.record(z.string(), z.unknown())),
  layers: tolerant(z.array(z.unknown())),
});
const IndexBody = z.object({ manifests: z.array(DescriptorSchema) });
const ManifestBody = z.object({ config: DescriptorSchema, layers: z.array(DescriptorSchema) });

/**
 * Parses a manifest or index. The media type comes from the document, else from the transport
 * (Content-Type or the referring descriptor), else from its shape (OCI allows omitting it).
 */
export function parseManifest(bytes: Uint8Array, where: string, hintedType?: string): ParsedManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new ImageError('TOO_LARGE', `${where}: manifest is larger than ${MAX_MANIFEST_BYTES} bytes`);
  }
  const doc = readImageJson(Head, bytes, where, 'manifest', 'INVALID_MANIFEST');
  if (doc.schemaVersion === 1) {
    throw new ImageError('UNSUPPORTED_MEDIA_TYPE', `${where}: Docker schema 1 manifests are not supported`);
  }
  const known = (t: string | undefined): t is string => !!t && (INDEX_TYPES.has(t) || MANIFEST_TYPES.has(t));
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  let mediaType = declared ?? (known(hintedType) ? hintedType : '');
  if (!known(mediaType)) {
    if (declared !== undefined && SCHEMA1_TYPES.has(declared)) {
      throw new ImageError('UNSUPPORTED_MEDIA_TYPE', `${where}: Docker schema 1 manifests are not supported`);
    }
    if (declared !== undefined) {
      throw new ImageError(
        'UNSUPPORTED_MEDIA_TYPE',
        `${where}: manifest media type "${declared.slice(0, 200)}" is not supported`,
      );
    }
    // OCI allows omitting mediaType; the transport's type is only a hint, the shape decides
    if (doc.manifests) mediaType = MEDIA_TYPES.ociIndex;
    else if (doc.config && doc.layers) mediaType = MEDIA_TYPES.ociManifest;
    else throw new ImageError('INVALID_MANIFEST', `${where}: neither an image manifest nor an index`);
  }
  if (doc.schemaVersion !== 2) {
    throw new ImageError('INVALID_MANIFEST', `${where}: schemaVersion must be 2`);
  }
  if (INDEX_TYPES.has(mediaType)) {
    const { manifests } = checkImageJson(IndexBody, doc, where, 'INVALID_MANIFEST');
    return { kind: 'index', mediaType, manifests };
  }
  const { config, layers } = checkImageJson(ManifestBody, doc, where, 'INVALID_MANIFEST');
  return { kind: 'manifest', mediaType, config, layers };
}

/** Whether a descriptor points at an index (so resolution must descend into it). */
export function isIndexMediaType(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType);
}
