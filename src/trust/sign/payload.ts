import { isDigest } from '../../core/digest.js';
import { DOCKER_HUB, type ImageReference } from '../../image/index.js';
import { TrustError } from '../errors.js';
import { goJson, sortedRecord } from './go-json.js';

export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

/** The parsed simple-signing payload of a cosign signature. */
export interface SimpleSigningPayload {
  readonly dockerReference: string;
  readonly manifestDigest: string;
  readonly type: string;
  readonly annotations: Readonly<Record<string, unknown>>;
}

/** The repository name as go-containerregistry writes it (`index.docker.io/library/alpine`). */
export function dockerReference(ref: Pick<ImageReference, 'registry' | 'repository'>): string {
  const registry = ref.registry === DOCKER_HUB ? 'index.docker.io' : ref.registry;
  return `${registry}/${ref.repository}`;
}

/** The payload bytes cosign signs (sigstore `payload.Cosign.MarshalJSON`), byte for byte. */
export function buildPayload(
  ref: Pick<ImageReference, 'registry' | 'repository'>,
  digest: string,
  annotations?: Readonly<Record<string, string>>,
): Buffer {
  const optional = annotations && Object.keys(annotations).length > 0 ? sortedRecord(annotations) : null;
  return Buffer.from(
    goJson({
      critical: {
        identity: { 'docker-reference': dockerReference(ref) },
        image: { 'docker-manifest-digest': digest },
        type: COSIGN_SIGNATURE_TYPE,
      },
      optional,
    }),
  );
}

export function parsePayload(bytes: Uint8Array, where: string): SimpleSigningPayload {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new TrustError('INVALID_PAYLOAD', `${where}: payload is not JSON`, { cause });
  }
  const d = doc as {
    critical?: {
      identity?: { 'docker-reference'?: unknown };
      image?: { 'docker-manifest-digest'?: unknown };
      type?: unknown;
    };
    optional?: unknown;
  };
  const ref = d.critical?.identity?.['docker-reference'];
  const digest = d.critical?.image?.['docker-manifest-digest'];
  const type = d.critical?.type;
  if (typeof ref !== 'string')
    throw new TrustError('INVALID_PAYLOAD', `${where}: no critical.identity.docker-reference`);
  if (typeof digest !== 'string' || !isDigest(digest)) {
    throw new TrustError('INVALID_PAYLOAD', `${where}: no valid critical.image.docker-manifest-digest`);
  }
  if (typeof type !== 'string') throw new TrustError('INVALID_PAYLOAD', `${where}: no critical.type`);
  const optional = d.optional;
  const annotations =
    typeof optional === 'object' && optional !== null && !Array.isArray(optional)
      ? (optional as Record<string, unknown>)
      : {};
  return { dockerReference: ref, manifestDigest: digest, type, annotations };
}
