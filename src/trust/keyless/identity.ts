import { TrustError } from '../errors.js';

/** A keyless identity constraint: the certificate's SAN and the OIDC issuer that vouched for it. */
export interface IdentityConstraint {
  /** exact SAN (email or URI) */
  readonly subject?: string;
  /** anchored regular expression over the SAN */
  readonly subjectRegExp?: string;
  /** exact OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.1 / .8) */
  readonly issuer?: string;
  readonly issuerRegExp?: string;
}

export interface SignerIdentity {
  readonly subject?: string;
  readonly issuer?: string;
}

/** Undefined when the identity satisfies the constraint, else why not. */
export function identityMismatch(constraint: IdentityConstraint, signer: SignerIdentity): string | undefined {
  const check = (what: string, actual: string | undefined, exact?: string, pattern?: string) => {
    if (exact !== undefined && actual !== exact) return `${what} "${actual ?? ''}" is not "${exact}"`;
    if (pattern !== undefined && !anchored(pattern, what).test(actual ?? '')) {
      return `${what} "${actual ?? ''}" does not match /${pattern}/`;
    }
    return undefined;
  };
  return (
    check('certificate identity', signer.subject, constraint.subject, constraint.subjectRegExp) ??
    check('OIDC issuer', signer.issuer, constraint.issuer, constraint.issuerRegExp)
  );
}

function anchored(pattern: string, what: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (cause) {
    throw new TrustError('INVALID_POLICY', `${what} pattern /${pattern}/ is not a valid regular expression`, {
      cause,
    });
  }
}
