import { DigestError, VerifyingStream, verifyBuffer } from '../../core/digest.js';
import { tolerant, z } from '../../core/schema.js';
import { ImageError } from '../errors.js';
import { createHandle } from '../handle.js';
import { type Descriptor, MAX_MANIFEST_BYTES, parseManifest } from '../manifest.js';
import { DEFAULT_PLATFORM } from '../platform.js';
import { readImageJson } from '../read-json.js';
import { type ContentSource, pickFromIndex, resolveImage } from '../resolve.js';
import type { ImageHandle, Platform } from '../types.js';
import type { LayoutFiles } from './blob-store.js';

/** The `oci-layout` marker file: a JSON object; writers disagree on the version, so it is not checked. */
const LayoutMarker = z.looseObject({ imageLayoutVersion: tolerant(z.string()) });

export const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';

function verified(data: Buffer, d: Descriptor, what: string): Buffer {
  try {
    verifyBuffer(data, d.digest, what, d.size);
  } catch (cause) {
    if (cause instanceof DigestError) throw new ImageError('DIGEST_MISMATCH', cause.message, { cause });
    throw cause;
  }
  return data;
}

/** A content source over layout files: every blob is checked against its descriptor. */
export function layoutSource(files: LayoutFiles): ContentSource {
  const { where } = files;
  return {
    where,
    readManifest: async (d) =>
      verified(files.readBlob(d.digest, MAX_MANIFEST_BYTES), d, `${where}: manifest ${d.digest}`),
    readBlob: async (d, max) => verified(files.readBlob(d.digest, max), d, `${where}: blob ${d.digest}`),
    async openBlob(d) {
      const raw = files.streamBlob(d.digest);
      const verifier = new VerifyingStream(d.digest, `${where}: blob ${d.digest}`, d.size);
      raw.on('error', (err) => verifier.destroy(err));
      return raw.pipe(verifier);
    },
  };
}

function tagsOf(manifests: readonly Descriptor[]): string[] {
  return [...new Set(manifests.map((d) => d.annotations?.[REF_NAME]).filter((t): t is string => !!t))].sort();
}

/**
 * Picks the top-level entry of index.json: by `org.opencontainers.image.ref.name` when a tag is
 * given (or containerd's full image name); else the only entry; else by platform when the
 * entries are untagged platform manifests; else an error that lists the tags.
 */
export function selectTagged(
  manifests: readonly Descriptor[],
  tag: string | undefined,
  platform: Platform,
  where: string,
): Descriptor {
  const tags = tagsOf(manifests);
  const list = tags.length > 0 ? tags.join(', ') : 'none';
  if (tag !== undefined) {
    const found = manifests.find(
      (d) => d.annotations?.[REF_NAME] === tag || d.annotations?.[CONTAINERD_NAME] === tag,
    );
    if (!found) throw new ImageError('MANIFEST_UNKNOWN', `${where}: no image tagged "${tag}"; tags: ${list}`);
    return found;
  }
  const only = manifests[0];
  if (manifests.length === 1 && only) return only;
  if (manifests.length === 0)
    throw new ImageError('MANIFEST_UNKNOWN', `${where}: index.json lists no images`);
  if (tags.length === 0) return pickFromIndex(manifests, platform, where);
  throw new ImageError(
    'MANIFEST_UNKNOWN',
    `${where}: ${manifests.length} images in the layout; pick one with :TAG (tags: ${list})`,
  );
}

/** Opens an image from an OCI layout (a directory or a tar of one, read in place). */
export async function openLayoutImage(
  files: LayoutFiles,
  name: string,
  tag: string | undefined,
  platform?: Platform,
  close?: () => Promise<void>,
): Promise<ImageHandle> {
  const { where } = files;
  const marker = files.readRoot('oci-layout', 64 * 1024);
  if (!marker) {
    throw new ImageError('INVALID_ARCHIVE', `${where}: not an OCI image layout (no oci-layout file)`);
  }
  readImageJson(LayoutMarker, marker, `${where}: oci-layout`, undefined, 'INVALID_ARCHIVE');
  const indexBytes = files.readRoot('index.json', MAX_MANIFEST_BYTES);
  if (!indexBytes)
    throw new ImageError('INVALID_ARCHIVE', `${where}: not an OCI image layout (no index.json)`);
  const top = parseManifest(indexBytes, `${where}: index.json`);
  if (top.kind !== 'index')
    throw new ImageError('INVALID_MANIFEST', `${where}: index.json is not an image index`);
  const chosen = selectTagged(top.manifests, tag, platform ?? DEFAULT_PLATFORM, where);
  const source = layoutSource(files);
  const bytes = await source.readManifest(chosen);
  const image = await resolveImage(
    source,
    { bytes, digest: chosen.digest, mediaType: chosen.mediaType },
    platform,
  );
  return createHandle({
    name,
    digest: image.manifestDigest,
    ...(image.indexDigest ? { indexDigest: image.indexDigest } : {}),
    config: image.config,
    configDigest: image.configDigest,
    rawConfig: image.rawConfig,
    manifestMediaType: image.manifestMediaType,
    layers: image.layers,
    open: async (i, signal) => ({ kind: 'tar', stream: await source.openBlob(image.blobs[i]!, signal) }),
    ...(close ? { close } : {}),
  });
}
