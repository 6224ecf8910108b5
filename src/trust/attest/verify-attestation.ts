import type { KeyObject } from 'node:crypto';
import type { ImageReference, RegistryClient, RepositoryRef } from '../../image/index.js';
import { TrustError } from '../errors.js';
import { COSIGN, resolveImage } from '../sign/index.js';
import { type FoundLayer, findCosignLayers, MAX_PAYLOAD_BYTES } from '../verify/index.js';
import type { AttestationCondition } from './condition.js';
import { IN_TOTO_PAYLOAD_TYPE, parseEnvelope, verifyEnvelope } from './dsse.js';
import { predicateTypeUri } from './predicate-types.js';
import { parseStatement, type Statement, subjectMatches } from './statement.js';

export interface VerifyAttestationOptions {
  readonly client: RegistryClient;
  readonly keys: readonly KeyObject[];
  /** shorthand or URI; attestations of other types are not checked */
  readonly type?: string;
  readonly condition?: AttestationCondition;
}

export interface AttestationCheck {
  readonly source: FoundLayer['source'];
  readonly manifest: string;
  readonly layer: string;
  readonly predicateType?: string;
  readonly valid: boolean;
  readonly reason?: string;
  readonly keyIds: readonly string[];
}

export interface AttestationVerification {
  readonly image: string;
  readonly digest: string;
  readonly attestations: readonly AttestationCheck[];
  /** at least one attestation of the type verified (and met the condition) */
  readonly verified: boolean;
  /** the statements that verified, for callers that evaluate more */
  readonly statements: readonly Statement[];
}

/** Checks each `.att` (and referrer) DSSE envelope: signature, subject digest, predicate type, condition. */
export async function verifyImageAttestations(
  image: string | ImageReference,
  opts: VerifyAttestationOptions,
): Promise<AttestationVerification> {
  const { ref, digest, name } = await resolveImage(opts.client, image);
  const repo = { registry: ref.registry, repository: ref.repository };
  const wanted = opts.type ? predicateTypeUri(opts.type) : undefined;
  const layers = await findCosignLayers(opts.client, repo, digest, 'att', COSIGN.dsseEnvelope);
  const attestations: AttestationCheck[] = [];
  const statements: Statement[] = [];
  for (const found of layers) {
    const annotated = found.layer.annotations?.[COSIGN.predicateTypeAnnotation];
    if (wanted && annotated && annotated !== wanted) continue;
    const { check, statement } = await checkLayer(opts, repo, digest, found, wanted);
    if (wanted && check.predicateType && check.predicateType !== wanted && check.keyIds.length > 0) continue;
    attestations.push(check);
    if (check.valid && statement) statements.push(statement);
  }
  attestations.sort((a, b) => a.manifest.localeCompare(b.manifest) || a.layer.localeCompare(b.layer));
  return { image: name, digest, attestations, verified: attestations.some((a) => a.valid), statements };
}

async function checkLayer(
  opts: VerifyAttestationOptions,
  repo: RepositoryRef,
  digest: string,
  found: FoundLayer,
  wanted: string | undefined,
): Promise<{ check: AttestationCheck; statement?: Statement }> {
  const base = { source: found.source, manifest: found.manifest, layer: found.layer.digest };
  const fail = (reason: string, extra: Partial<AttestationCheck> = {}) => ({
    check: { ...base, valid: false, reason, keyIds: [], ...extra },
  });
  try {
    const bytes = await opts.client.readBlob(repo, found.layer.digest, MAX_PAYLOAD_BYTES, found.layer.size);
    const envelope = parseEnvelope(bytes, found.layer.digest);
    const keyIds = verifyEnvelope(envelope, opts.keys);
    if (keyIds.length === 0) return fail('envelope signature does not verify with the given key(s)');
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      return fail(`payloadType ${envelope.payloadType} is not ${IN_TOTO_PAYLOAD_TYPE}`);
    }
    const statement = parseStatement(Buffer.from(envelope.payload, 'base64'), found.layer.digest);
    const predicateType = statement.predicateType;
    if (!subjectMatches(statement, digest))
      return fail(`no subject names the image digest ${digest}`, { predicateType });
    if (wanted && predicateType !== wanted) {
      return fail(`predicateType ${predicateType} is not ${wanted}`, { predicateType });
    }
    const outcome = opts.condition?.test(statement);
    if (outcome && !outcome.ok) return fail(outcome.reason, { predicateType, keyIds });
    return { check: { ...base, predicateType, valid: true, keyIds }, statement };
  } catch (err) {
    if (err instanceof TrustError) return fail(err.message);
    throw err;
  }
}
