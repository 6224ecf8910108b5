import type { Bundle } from '@sigstore/bundle';
import {
  formatReference,
  type ImageReference,
  parseReference,
  type RegistryClient,
} from '../../image/index.js';
import { parseStatement, subjectMatches, verifyImageAttestations } from '../attest/index.js';
import { verifyBundle } from '../keyless/index.js';
import { resolveImage } from '../sign/index.js';
import { verifyImageSignatures } from '../verify/index.js';
import { findBundles } from './find-bundles.js';
import { matchingRules } from './match.js';
import type { PolicyDecision, PolicyRule, RuleOutcome, VerificationPolicy } from './types.js';

export interface EvaluateOptions {
  readonly client: RegistryClient;
  /** Sigstore bundles given by the caller (in addition to those the registry holds as referrers) */
  readonly bundles?: readonly Bundle[];
}

/**
 * Decides whether an image satisfies a policy: every rule whose pattern matches must be
 * satisfied, and an image no rule matches is refused. A rule is satisfied when one of its keys
 * or keyless identities signed the image digest and every required attestation verified.
 */
export async function evaluatePolicy(
  image: string | ImageReference,
  policy: VerificationPolicy,
  opts: EvaluateOptions,
): Promise<PolicyDecision> {
  const ref = typeof image === 'string' ? parseReference(image) : image;
  const { digest } = await resolveImage(opts.client, ref);
  const pinned: ImageReference = { registry: ref.registry, repository: ref.repository, digest };
  const rules = matchingRules(policy, ref);
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) outcomes.push(await evaluateRule(rule, pinned, digest, policy, opts));
  return {
    image: formatReference(ref),
    digest,
    allowed: rules.length > 0 && outcomes.every((o) => o.satisfied),
    rules:
      rules.length > 0
        ? outcomes
        : [{ rule: '(none)', satisfied: false, reasons: ['no policy matches this image'] }],
  };
}

async function evaluateRule(
  rule: PolicyRule,
  ref: ImageReference,
  digest: string,
  policy: VerificationPolicy,
  opts: EvaluateOptions,
): Promise<RuleOutcome> {
  const reasons: string[] = [];
  let signed = false;
  if (rule.keys.length > 0) {
    const v = await verifyImageSignatures(ref, {
      client: opts.client,
      keys: rule.keys,
      annotations: rule.annotations,
    });
    signed = v.verified;
    if (!signed) {
      reasons.push(
        v.signatures.length === 0
          ? 'no signatures found'
          : `no valid key signature: ${[...new Set(v.signatures.map((s) => s.reason ?? ''))].join('; ')}`,
      );
    }
  }
  if (!signed && rule.keyless.length > 0) {
    const bundles = [...(opts.bundles ?? []), ...(await findBundles(opts.client, ref, digest))];
    const why: string[] = [];
    for (const bundle of bundles) {
      const r = keylessSigns(bundle, digest, rule, policy);
      if (r === undefined) {
        signed = true;
        break;
      }
      why.push(r);
    }
    if (!signed)
      reasons.push(
        bundles.length === 0 ? 'no Sigstore bundles found' : `no keyless signature: ${why.join('; ')}`,
      );
  }
  for (const req of rule.attestations) {
    const v = await verifyImageAttestations(ref, {
      client: opts.client,
      keys: rule.keys,
      type: req.predicateType,
      ...(req.condition ? { condition: req.condition } : {}),
    });
    if (!v.verified) {
      const why = v.attestations.map((a) => a.reason ?? '').filter(Boolean);
      reasons.push(
        `attestation ${req.predicateType}: ${why.length ? [...new Set(why)].join('; ') : 'none found'}`,
      );
    }
  }
  return { rule: rule.name, satisfied: signed && reasons.length === 0, reasons: signed ? reasons : reasons };
}

/** Undefined when the bundle is a valid keyless signature over this digest by an allowed identity. */
function keylessSigns(
  bundle: Bundle,
  digest: string,
  rule: PolicyRule,
  policy: VerificationPolicy,
): string | undefined {
  if (!policy.trustedRoot) return 'no trusted root';
  if (bundle.content.$case !== 'dsseEnvelope')
    return 'bundle is a message signature, not an attestation over the image';
  const result = verifyBundle(bundle, { trustedRoot: policy.trustedRoot, identities: rule.keyless });
  if (!result.ok) return result.reason;
  try {
    const statement = parseStatement(bundle.content.dsseEnvelope.payload, 'bundle');
    return subjectMatches(statement, digest) ? undefined : `bundle subject does not name ${digest}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
