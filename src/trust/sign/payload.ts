import { isDigest } from '../../core/digest.js';
import { tolerant, z } from '../../core/schema.js';
import { DOCKER_HUB, type ImageReference } from '../../image/index.js';
import { readSignedJson } from '../read-json.js';
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

/** Cosign's simple-signing payload: `critical` must be exact; `optional` is kept when it is a mapping. */
const Payload = z.object({
  critical: z.object({
    identity: z.object({ 'docker-reference': z.string() }),
    image: z.object({
      'docker-manifest-digest': z.string().refine(isDigest, {
        error: (i) => `expected a digest, got ${JSON.stringify(i.input)?.slice(0, 100)}`,
      }),
    }),
    type: z.string(),
  }),
  optional: tolerant(z.record(z.string(), z.unknown())),
});

export function parsePayload(bytes: Uint8Array, where: string): SimpleSigningPayload {
  const { critical, optional } = readSignedJson(Payload, bytes, where, 'payload');
  return {
    dockerReference: critical.identity['docker-reference'],
    manifestDigest: critical.image['docker-manifest-digest'],
    type: critical.type,
    annotations: optional ?? {},
  };
}
