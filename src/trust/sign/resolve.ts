import {
  formatReference,
  type ImageReference,
  parseReference,
  type RegistryClient,
} from '../../image/index.js';

export interface ResolvedImage {
  readonly ref: ImageReference;
  /** the digest of what the reference names now (an index stays an index, as cosign signs it) */
  readonly digest: string;
  readonly name: string;
}

/** Resolves a reference to the digest it names; a tag is read once and never signed as such. */
export async function resolveImage(
  client: RegistryClient,
  image: string | ImageReference,
): Promise<ResolvedImage> {
  const ref = typeof image === 'string' ? parseReference(image) : image;
  const { digest } = await client.getManifest(ref);
  return { ref, digest, name: formatReference(ref) };
}
