import { ImageError } from '../errors.js';
import { createHandle } from '../handle.js';
import type { Descriptor } from '../manifest.js';
import { formatReference, type ImageReference, parseReference } from '../reference.js';
import { type ContentSource, resolveImage } from '../resolve.js';
import type { ImageHandle, RegistryOptions } from '../types.js';
import { RegistryClient } from './client.js';

function registrySource(client: RegistryClient, ref: ImageReference): ContentSource {
  const where = formatReference(ref);
  return {
    where,
    async readManifest(d: Descriptor) {
      const { bytes } = await client.getManifest(
        { registry: ref.registry, repository: ref.repository, digest: d.digest },
        [d.mediaType],
      );
      if (bytes.length !== d.size) {
        throw new ImageError(
          'DIGEST_MISMATCH',
          `${where}: manifest ${d.digest} has ${bytes.length} bytes, the index says ${d.size}`,
        );
      }
      return bytes;
    },
    readBlob: (d, max) => client.readBlob(ref, d.digest, max, d.size),
    openBlob: (d, signal) => client.getBlob(ref, d.digest, d.size, signal),
  };
}

/** Resolves an image in a registry (manifest, platform, config) without pulling any layer. */
export async function openRegistryImage(text: string, options: RegistryOptions = {}): Promise<ImageHandle> {
  const ref = parseReference(text);
  const client = new RegistryClient(options);
  const root = await client.getManifest(ref);
  const source = registrySource(client, ref);
  const image = await resolveImage(source, root, options.platform);
  return createHandle({
    name: text,
    digest: image.manifestDigest,
    ...(image.indexDigest ? { indexDigest: image.indexDigest } : {}),
    repository: `${ref.registry}/${ref.repository}`,
    config: image.config,
    configDigest: image.configDigest,
    rawConfig: image.rawConfig,
    manifestMediaType: image.manifestMediaType,
    layers: image.layers,
    open: async (i, signal) => ({ kind: 'tar', stream: await source.openBlob(image.blobs[i]!, signal) }),
  });
}
