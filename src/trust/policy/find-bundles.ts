import type { Bundle } from '@sigstore/bundle';
import { type ImageReference, MEDIA_TYPES, parseManifest, type RegistryClient } from '../../image/index.js';
import { parseBundle } from '../keyless/index.js';
import { MAX_PAYLOAD_BYTES } from '../verify/index.js';

const BUNDLE_ARTIFACT = /^application\/vnd\.dev\.sigstore\.bundle/;

/** Sigstore bundles attached to the digest as OCI 1.1 referrers (cosign's new bundle format). */
export async function findBundles(
  client: RegistryClient,
  ref: ImageReference,
  digest: string,
): Promise<Bundle[]> {
  const repo = { registry: ref.registry, repository: ref.repository };
  const out: Bundle[] = [];
  let referrers: Awaited<ReturnType<RegistryClient['referrers']>>;
  try {
    referrers = await client.referrers(repo, digest);
  } catch {
    return out;
  }
  for (const r of referrers) {
    if (!r.artifactType || !BUNDLE_ARTIFACT.test(r.artifactType)) continue;
    const { bytes } = await client.getManifest({ ...repo, digest: r.digest }, [MEDIA_TYPES.ociManifest]);
    const parsed = parseManifest(bytes, `${repo.repository}@${r.digest}`);
    if (parsed.kind !== 'manifest') continue;
    for (const layer of parsed.layers) {
      if (!BUNDLE_ARTIFACT.test(layer.mediaType)) continue;
      const blob = await client.readBlob(repo, layer.digest, MAX_PAYLOAD_BYTES, layer.size);
      out.push(parseBundle(blob.toString('utf8'), `${repo.repository}@${layer.digest}`));
    }
  }
  return out;
}
