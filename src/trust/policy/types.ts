import type { KeyObject } from 'node:crypto';
import type { TrustMaterial } from '@sigstore/verify';
import type { AttestationCondition } from '../attest/index.js';
import type { IdentityConstraint } from '../keyless/index.js';

export interface AttestationRequirement {
  /** predicate type URI (shorthands resolved) */
  readonly predicateType: string;
  readonly condition?: AttestationCondition;
}

/** One rule of a verification policy, parsed and with its keys loaded. */
export interface PolicyRule {
  readonly name: string;
  /** patterns over `registry/repository`: `*` within a path segment, `**` across segments */
  readonly images: readonly string[];
  readonly keys: readonly KeyObject[];
  readonly keyless: readonly IdentityConstraint[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly attestations: readonly AttestationRequirement[];
}

export interface VerificationPolicy {
  readonly file: string;
  readonly rules: readonly PolicyRule[];
  /** for keyless identities: the Sigstore trusted root */
  readonly trustedRoot?: TrustMaterial;
}

export interface RuleOutcome {
  readonly rule: string;
  readonly satisfied: boolean;
  /** what was missing or failed, one line each */
  readonly reasons: readonly string[];
}

export interface PolicyDecision {
  readonly image: string;
  readonly digest: string;
  /** true when every matching rule is satisfied and at least one rule matched */
  readonly allowed: boolean;
  readonly rules: readonly RuleOutcome[];
}
