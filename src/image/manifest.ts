import { isDigest } from '../core/digest.js';
import { ImageError } from './errors.js';
import { MEDIA_TYPES } from './media-types.js';
import type { Platform } from './types.js';

/** A content descriptor (OCI image spec, descriptor.md), as far as Strata uses it. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringRecord(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

function parsePlatformField(v: unknown): Platform | undefined {
  if (!isRecord(v) || typeof v.os !== 'string' || typeof v.architecture !== 'string') return undefined;
  return {
    os: v.os,
    architecture: v.architecture,
    ...(typeof v.variant === 'string' && v.variant !== '' ? { variant: v.variant } : {}),
  };
}

export function parseDescriptor(v: unknown, where: string): Descriptor {
  if (!isRecord(v)) throw new ImageError('INVALID_MANIFEST', `${where}: descriptor is not an object`);
  const { mediaType, digest, size } = v;
  if (typeof mediaType !== 'string' || mediaType === '') {
    throw new ImageError('INVALID_MANIFEST', `${where}: descriptor has no mediaType`);
  }
  if (typeof digest !== 'string' || !isDigest(digest)) {
    throw new ImageError(
      'INVALID_MANIFEST',
      `${where}: descriptor digest "${String(digest).slice(0, 100)}" is invalid`,
    );
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new ImageError('INVALID_MANIFEST', `${where}: descriptor size is not a non-negative integer`);
  }
  const platform = parsePlatformField(v.platform);
  const annotations = stringRecord(v.annotations);
  return {
    mediaType,
    digest,
    size,
    ...(platform ? { platform } : {}),
    ...(annotations ? { annotations } : {}),
    ...(typeof v.artifactType === 'string' ? { artifactType: v.artifactType } : {}),
  };
}

function parseJson(bytes: Uint8Array, where: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new ImageError('INVALID_MANIFEST', `${where}: manifest is not valid JSON`, { cause });
  }
  if (!isRecord(doc)) throw new ImageError('INVALID_MANIFEST', `${where}: manifest is not a JSON object`);
  return doc;
}

/**
 * Parses a manifest or index. The media type comes from the document, else from the transport
 * (Content-Type or the referring descriptor), else from its shape (OCI allows omitting it).
 */
export function parseManifest(bytes: Uint8Array, where: string, hintedType?: string): ParsedManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new ImageError('TOO_LARGE', `${where}: manifest is larger than ${MAX_MANIFEST_BYTES} bytes`);
  }
  const doc = parseJson(bytes, where);
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
    if (Array.isArray(doc.manifests)) mediaType = MEDIA_TYPES.ociIndex;
    else if (isRecord(doc.config) && Array.isArray(doc.layers)) mediaType = MEDIA_TYPES.ociManifest;
    else throw new ImageError('INVALID_MANIFEST', `${where}: neither an image manifest nor an index`);
  }
  if (doc.schemaVersion !== 2) {
    throw new ImageError('INVALID_MANIFEST', `${where}: schemaVersion must be 2`);
  }
  if (INDEX_TYPES.has(mediaType)) {
    if (!Array.isArray(doc.manifests))
      throw new ImageError('INVALID_MANIFEST', `${where}: index has no manifests array`);
    const manifests = doc.manifests.map((d, i) => parseDescriptor(d, `${where}: manifests[${i}]`));
    return { kind: 'index', mediaType, manifests };
  }
  if (!Array.isArray(doc.layers))
    throw new ImageError('INVALID_MANIFEST', `${where}: manifest has no layers array`);
  const config = parseDescriptor(doc.config, `${where}: config`);
  const layers = doc.layers.map((d, i) => parseDescriptor(d, `${where}: layers[${i}]`));
  return { kind: 'manifest', mediaType, config, layers };
}

/** Whether a descriptor points at an index (so resolution must descend into it). */
export function isIndexMediaType(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType);
}
