import type { KeyObject } from 'node:crypto';
import type { ImageReference, RegistryClient } from '../../image/index.js';
import { signBytes } from '../keys/index.js';
import { appendCosignLayer, COSIGN, cosignTag } from './cosign-layout.js';
import { buildPayload } from './payload.js';
import { resolveImage } from './resolve.js';

export interface SignOptions {
  readonly client: RegistryClient;
  readonly key: KeyObject;
  /** `-a key=value` pairs, written into the payload's `optional` */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface SignResult {
  readonly image: string;
  readonly digest: string;
  /** `<repo>:sha256-<hex>.sig` */
  readonly signatureTag: string;
  readonly signatureManifest: string;
  readonly payload: string;
  readonly signature: string;
  /** false when the same signature was already there */
  readonly appended: boolean;
}

/**
 * Signs an image as `cosign sign --key` does: resolve to the digest, sign the simple-signing
 * payload (ECDSA P-256 SHA-256, DER, base64), append the payload layer to `sha256-<hex>.sig`.
 */
export async function signImage(image: string | ImageReference, opts: SignOptions): Promise<SignResult> {
  const { ref, digest, name } = await resolveImage(opts.client, image);
  const payload = buildPayload(ref, digest, opts.annotations);
  const signature = signBytes(opts.key, payload).toString('base64');
  const repo = { registry: ref.registry, repository: ref.repository };
  const tag = cosignTag(digest, 'sig');
  const pushed = await appendCosignLayer(opts.client, repo, tag, {
    bytes: payload,
    mediaType: COSIGN.simpleSigning,
    annotations: { [COSIGN.signatureAnnotation]: signature },
  });
  return {
    image: name,
    digest,
    signatureTag: `${ref.registry}/${ref.repository}:${tag}`,
    signatureManifest: pushed.manifestDigest,
    payload: payload.toString('utf8'),
    signature,
    appended: pushed.appended,
  };
}
