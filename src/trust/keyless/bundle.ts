import { type Bundle, bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { type TrustMaterial, toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { TrustError } from '../errors.js';
import { type IdentityConstraint, identityMismatch, type SignerIdentity } from './identity.js';

export type BundleVerification =
  | { readonly ok: true; readonly identity: SignerIdentity }
  | { readonly ok: false; readonly reason: string; readonly identity?: SignerIdentity };

export interface BundleOptions {
  readonly trustedRoot: TrustMaterial;
  /** the signed bytes, for message-signature bundles (DSSE bundles carry their payload) */
  readonly artifact?: Buffer;
  /** identities any one of which the certificate must match; none = any identity */
  readonly identities?: readonly IdentityConstraint[];
  /** transparency-log entries required (Rekor inclusion); 1 by default */
  readonly tlogThreshold?: number;
}

/** Parses a Sigstore trusted-root JSON (`application/vnd.dev.sigstore.trustedroot+json`). */
export function parseTrustedRoot(text: string, where: string): TrustMaterial {
  try {
    return toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(text)));
  } catch (cause) {
    throw new TrustError('INVALID_BUNDLE', `${where}: not a Sigstore trusted root`, { cause });
  }
}

/** Parses a Sigstore bundle (v0.1, v0.2, v0.3) from JSON text. */
export function parseBundle(text: string, where: string): Bundle {
  try {
    return bundleFromJSON(JSON.parse(text));
  } catch (cause) {
    throw new TrustError('INVALID_BUNDLE', `${where}: not a valid Sigstore bundle`, { cause });
  }
}

/**
 * Verifies a Sigstore bundle offline: certificate chain to the trusted root's Fulcio CAs at the
 * time of the transparency-log entry, Rekor inclusion (proof or promise), the signature, and the
 * signer's identity and issuer against the constraints.
 */
export function verifyBundle(bundle: Bundle, opts: BundleOptions): BundleVerification {
  let identity: SignerIdentity;
  try {
    const entity = toSignedEntity(bundle, opts.artifact);
    const verifier = new Verifier(opts.trustedRoot, {
      tlogThreshold: opts.tlogThreshold ?? 1,
      ctlogThreshold: 0,
    });
    const signer = verifier.verify(entity);
    identity = {
      ...(signer.identity?.subjectAlternativeName ? { subject: signer.identity.subjectAlternativeName } : {}),
      ...(signer.identity?.extensions?.issuer ? { issuer: signer.identity.extensions.issuer } : {}),
    };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return { ok: false, reason: `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}` };
  }
  const constraints = opts.identities ?? [];
  if (constraints.length === 0) return { ok: true, identity };
  const reasons = constraints.map((c) => identityMismatch(c, identity));
  if (reasons.some((r) => r === undefined)) return { ok: true, identity };
  return { ok: false, reason: reasons.join('; '), identity };
}
