import type { KeyObject } from 'node:crypto';
import type { Finding, ScanResult } from '../core/index.js';
import { RegistryClient } from '../image/index.js';
import {
  type AttestationVerification,
  compileCondition,
  evaluatePolicy,
  type ImageVerification,
  type IntegrityReport,
  loadPolicy,
  type PolicyDecision,
  readPublicKey,
  type VerificationPolicy,
  verifyImageAttestations,
  verifyImageSignatures,
  verifyIntegrity,
} from '../trust/index.js';
import { signatureFinding, trustResult } from './trust-result.js';

/** How to reach the registry: a client of the caller's, or the options to make one. */
export interface RegistryOptions {
  readonly client?: RegistryClient;
  /** allow plain HTTP and unverified TLS registries */
  readonly insecure?: boolean;
}

/** Public keys as PEM file paths (read here) or already-parsed keys. */
export type KeysInput = readonly string[] | readonly KeyObject[];

/** What `verifyImage` checks: cosign signatures by keys, a policy, or registry integrity. */
export type VerifyCheck =
  | {
      readonly kind: 'signatures';
      readonly keys: KeysInput;
      /** annotations a valid signature's payload must carry */
      readonly annotations?: Readonly<Record<string, string>>;
    }
  /** a policy file path or an already-loaded policy */
  | { readonly kind: 'policy'; readonly policy: string | VerificationPolicy }
  | { readonly kind: 'integrity' };

/** A verification as a SPEC.md result (failures as findings, details in metadata) plus the typed details. */
export type ImageVerdict =
  | {
      readonly kind: 'signatures';
      readonly result: ScanResult;
      readonly passed: boolean;
      readonly verification: ImageVerification;
    }
  | {
      readonly kind: 'policy';
      readonly result: ScanResult;
      readonly passed: boolean;
      readonly decision: PolicyDecision;
    }
  | {
      readonly kind: 'integrity';
      readonly result: ScanResult;
      readonly passed: boolean;
      readonly report: IntegrityReport;
    };

export function clientOf(options: RegistryOptions): RegistryClient {
  return options.client ?? new RegistryClient({ insecure: options.insecure ?? false });
}

async function keysOf(keys: KeysInput): Promise<KeyObject[]> {
  return Promise.all(
    (keys as readonly (string | KeyObject)[]).map((k) => (typeof k === 'string' ? readPublicKey(k) : k)),
  );
}

/** `strata verify` and the admission webhook: one image against keys, a policy, or its own digests. */
export async function verifyImage(
  image: string,
  check: VerifyCheck,
  options: RegistryOptions = {},
): Promise<ImageVerdict> {
  const client = clientOf(options);
  if (check.kind === 'integrity') return integrity(image, client);
  if (check.kind === 'policy') {
    const policy = typeof check.policy === 'string' ? loadPolicy(check.policy) : check.policy;
    return decide(image, policy, client);
  }
  return signatures(image, check, client);
}

async function signatures(
  image: string,
  check: Extract<VerifyCheck, { kind: 'signatures' }>,
  client: RegistryClient,
): Promise<ImageVerdict> {
  const keys = await keysOf(check.keys);
  const v = await verifyImageSignatures(image, {
    client,
    keys,
    ...(check.annotations ? { annotations: check.annotations } : {}),
  });
  const findings: Finding[] = v.signatures
    .filter((s) => !s.valid)
    .map((s) => signatureFinding('SIGNATURE-INVALID', v.image, s.reason ?? 'invalid signature', { ...s }));
  if (!v.verified) {
    findings.push(
      signatureFinding(
        'SIGNATURE-MISSING',
        v.image,
        v.signatures.length === 0 ? 'no signatures found' : 'no valid signature',
        { digest: v.digest },
      ),
    );
  }
  const result = trustResult(v.image, v.digest, findings, { signatures: v.signatures, verified: v.verified });
  return { kind: 'signatures', result, passed: v.verified, verification: v };
}

async function decide(
  image: string,
  policy: VerificationPolicy,
  client: RegistryClient,
): Promise<ImageVerdict> {
  const d = await evaluatePolicy(image, policy, { client });
  const findings = d.rules
    .filter((r) => !r.satisfied)
    .map((r) =>
      signatureFinding('POLICY-UNSATISFIED', d.image, `policy ${r.rule}: ${r.reasons.join('; ')}`, { ...r }),
    );
  const result = trustResult(d.image, d.digest, findings, { policy: d.rules, allowed: d.allowed });
  return { kind: 'policy', result, passed: d.allowed, decision: d };
}

async function integrity(image: string, client: RegistryClient): Promise<ImageVerdict> {
  const r = await verifyIntegrity(image, client);
  const findings = r.checks
    .filter((c) => !c.ok)
    .map((c) =>
      signatureFinding(
        'INTEGRITY-MISMATCH',
        r.image,
        `${c.kind} ${c.digest}: ${c.reason ?? 'mismatch'}`,
        { ...c },
        'CRITICAL',
      ),
    );
  const result = trustResult(r.image, r.digest, findings, { integrity: r.checks, ok: r.ok });
  return { kind: 'integrity', result, passed: r.ok, report: r };
}

export interface AttestationCheckOptions extends RegistryOptions {
  readonly keys: KeysInput;
  /** predicate type shorthand or URI */
  readonly type?: string;
  /** a CEL expression over the statement as `object` */
  readonly condition?: string;
}

export interface AttestationVerdict {
  readonly result: ScanResult;
  readonly passed: boolean;
  readonly verification: AttestationVerification;
}

/** `strata verify-attestation`: envelope signature, subject digest, predicate type, CEL condition. */
export async function verifyAttestations(
  image: string,
  options: AttestationCheckOptions,
): Promise<AttestationVerdict> {
  const condition = options.condition ? compileCondition(options.condition) : undefined;
  const keys = await keysOf(options.keys);
  const v = await verifyImageAttestations(image, {
    client: clientOf(options),
    keys,
    ...(options.type ? { type: options.type } : {}),
    ...(condition ? { condition } : {}),
  });
  const findings = v.attestations
    .filter((a) => !a.valid)
    .map((a) =>
      signatureFinding('ATTESTATION-INVALID', v.image, a.reason ?? 'invalid attestation', { ...a }),
    );
  if (!v.verified)
    findings.push(
      signatureFinding('ATTESTATION-MISSING', v.image, 'no valid attestation', { digest: v.digest }),
    );
  const result = trustResult(v.image, v.digest, findings, {
    attestations: v.attestations,
    verified: v.verified,
  });
  return { result, passed: v.verified, verification: v };
}
