import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { type ReadKind, readInputText } from '../../core/safe-read.js';
import { defined, safeParseWith, tolerant, z } from '../../core/schema.js';
import { compileCondition, predicateTypeUri } from '../attest/index.js';
import { TrustError } from '../errors.js';
import { type IdentityConstraint, parseTrustedRoot } from '../keyless/index.js';
import { parsePublicKey } from '../keys/index.js';
import type { AttestationRequirement, PolicyRule, VerificationPolicy } from './types.js';

const Identity = z
  .object({
    subject: z.string().optional(),
    subjectRegExp: z.string().optional(),
    issuer: z.string().optional(),
    issuerRegExp: z.string().optional(),
  })
  .check((ctx) => {
    const v = ctx.value;
    if (!v.subject && !v.subjectRegExp)
      ctx.issues.push({ code: 'custom', message: '"subject" or "subjectRegExp" is required', input: v });
    if (!v.issuer && !v.issuerRegExp)
      ctx.issues.push({ code: 'custom', message: '"issuer" or "issuerRegExp" is required', input: v });
  })
  .transform((v): IdentityConstraint => defined(v));

const Attestation = z.object({
  type: z.string(),
  condition: z.string({ error: 'expected a CEL expression string' }).optional(),
});

const Rule = z.object({
  name: tolerant(z.string()),
  images: z.array(z.string()).min(1, { error: 'expected at least one pattern' }),
  keys: z.array(z.string()).nullish(),
  keyless: z.array(Identity).nullish(),
  // annotations that are not a mapping are ignored, as they always were
  annotations: tolerant(z.record(z.string(), z.unknown())).pipe(z.record(z.string(), z.string()).optional()),
  attestations: z.array(Attestation).nullish(),
});

const PolicyFile = z.object({ trustedRoot: tolerant(z.string()), policies: z.array(Rule) });

/**
 * Parses a verification policy:
 *
 * ```yaml
 * trustedRoot: trusted_root.json        # for keyless identities (path relative to this file)
 * policies:
 *   - name: team
 *     images: ["registry.example.com/team/*"]
 *     keys: [team.pub]                    # file paths or inline PEM
 *     keyless: [{ subject: dev@example.com, issuer: https://accounts.google.com }]
 *     annotations: { env: prod }
 *     attestations: [{ type: cyclonedx, condition: "size(object.predicate.components) > 0" }]
 * ```
 */
export function parsePolicy(text: string, file: string): VerificationPolicy {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (cause) {
    throw new TrustError(
      'INVALID_POLICY',
      `${file}: not YAML: ${(cause as Error).message.split('\n', 1)[0]}`,
      { cause },
    );
  }
  const parsed = safeParseWith(PolicyFile, doc);
  if (!parsed.ok) throw new TrustError('INVALID_POLICY', `${file}: ${parsed.message}`);
  const policy = parsed.value;
  const base = dirname(file);
  const trustedRoot =
    policy.trustedRoot !== undefined
      ? parseTrustedRoot(
          readText(resolvePath(base, policy.trustedRoot), `${file}: trustedRoot`, 'trusted-root'),
          policy.trustedRoot,
        )
      : undefined;
  const rules = policy.policies.map((p, i) =>
    resolveRule(p, `policies[${i}]`, `${file}: policies[${i}]`, base),
  );
  if (!trustedRoot) {
    const keyless = rules.find((r) => r.keyless.length > 0);
    if (keyless)
      throw new TrustError(
        'INVALID_POLICY',
        `${file}: policy ${keyless.name} names keyless identities but no trustedRoot`,
      );
  }
  return { file, rules, ...(trustedRoot ? { trustedRoot } : {}) };
}

export function loadPolicy(file: string): VerificationPolicy {
  return parsePolicy(readText(file, '--policy', 'policy'), file);
}

/** Reads the rule's key files and compiles its conditions (the shape is already checked). */
function resolveRule(raw: z.output<typeof Rule>, name: string, where: string, base: string): PolicyRule {
  const keys = (raw.keys ?? []).map((k, i) =>
    k.includes('-----BEGIN')
      ? parsePublicKey(k, `${where}.keys[${i}]`)
      : parsePublicKey(readText(resolvePath(base, k), `${where}.keys[${i}]`, 'key'), k),
  );
  const keyless = raw.keyless ?? [];
  const attestations = (raw.attestations ?? []).map((a, i) => attestation(a, `${where}.attestations[${i}]`));
  if (keys.length === 0 && keyless.length === 0) {
    throw new TrustError('INVALID_POLICY', `${where}: give "keys" or "keyless" (who must have signed)`);
  }
  return {
    name: raw.name ?? name,
    images: raw.images,
    keys,
    keyless,
    annotations: raw.annotations ?? {},
    attestations,
  };
}

function attestation(raw: z.output<typeof Attestation>, where: string): AttestationRequirement {
  let predicateType: string;
  try {
    predicateType = predicateTypeUri(raw.type);
  } catch (cause) {
    throw new TrustError('INVALID_POLICY', `${where}.type: ${(cause as Error).message}`, { cause });
  }
  return {
    predicateType,
    ...(raw.condition ? { condition: compileCondition(raw.condition, `${where}.condition`) } : {}),
  };
}

function resolvePath(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

function readText(path: string, where: string, kind: ReadKind): string {
  try {
    return readInputText(path, { kind });
  } catch (cause) {
    throw new TrustError('INVALID_POLICY', `${where}: cannot read ${path}`, { cause });
  }
}
