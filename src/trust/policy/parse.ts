import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { type ReadKind, readInputText } from '../../core/safe-read.js';
import { compileCondition, predicateTypeUri } from '../attest/index.js';
import { TrustError } from '../errors.js';
import { type IdentityConstraint, parseTrustedRoot } from '../keyless/index.js';
import { parsePublicKey } from '../keys/index.js';
import type { AttestationRequirement, PolicyRule, VerificationPolicy } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

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
  if (!isObj(doc) || !Array.isArray(doc.policies)) {
    throw new TrustError('INVALID_POLICY', `${file}: expected a top-level "policies:" list`);
  }
  const base = dirname(file);
  const trustedRoot =
    typeof doc.trustedRoot === 'string'
      ? parseTrustedRoot(
          readText(resolvePath(base, doc.trustedRoot), `${file}: trustedRoot`, 'trusted-root'),
          doc.trustedRoot,
        )
      : undefined;
  const rules = doc.policies.map((p, i) => parseRule(p, `${file}: policies[${i}]`, base));
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

function parseRule(raw: unknown, where: string, base: string): PolicyRule {
  if (!isObj(raw)) throw new TrustError('INVALID_POLICY', `${where}: expected a mapping`);
  const name = typeof raw.name === 'string' ? raw.name : (where.split(': ').pop() ?? where);
  const images = stringList(raw.images, `${where}.images`);
  if (images.length === 0)
    throw new TrustError('INVALID_POLICY', `${where}: "images" needs at least one pattern`);
  const keys = stringList(raw.keys ?? [], `${where}.keys`).map((k, i) =>
    k.includes('-----BEGIN')
      ? parsePublicKey(k, `${where}.keys[${i}]`)
      : parsePublicKey(readText(resolvePath(base, k), `${where}.keys[${i}]`, 'key'), k),
  );
  const keyless = list(raw.keyless ?? [], `${where}.keyless`).map((k, i) =>
    identity(k, `${where}.keyless[${i}]`),
  );
  const annotations = isObj(raw.annotations) ? stringRecord(raw.annotations, `${where}.annotations`) : {};
  const attestations = list(raw.attestations ?? [], `${where}.attestations`).map((a, i) =>
    attestation(a, `${where}.attestations[${i}]`),
  );
  if (keys.length === 0 && keyless.length === 0) {
    throw new TrustError('INVALID_POLICY', `${where}: give "keys" or "keyless" (who must have signed)`);
  }
  return { name, images, keys, keyless, annotations, attestations };
}

function identity(raw: unknown, where: string): IdentityConstraint {
  if (!isObj(raw)) throw new TrustError('INVALID_POLICY', `${where}: expected a mapping`);
  const out: Record<string, string> = {};
  for (const field of ['subject', 'subjectRegExp', 'issuer', 'issuerRegExp'] as const) {
    const v = raw[field];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new TrustError('INVALID_POLICY', `${where}.${field}: expected a string`);
    out[field] = v;
  }
  if (!out.subject && !out.subjectRegExp)
    throw new TrustError('INVALID_POLICY', `${where}: "subject" or "subjectRegExp" is required`);
  if (!out.issuer && !out.issuerRegExp)
    throw new TrustError('INVALID_POLICY', `${where}: "issuer" or "issuerRegExp" is required`);
  return out;
}

function attestation(raw: unknown, where: string): AttestationRequirement {
  if (!isObj(raw) || typeof raw.type !== 'string')
    throw new TrustError('INVALID_POLICY', `${where}: "type" is required`);
  let predicateType: string;
  try {
    predicateType = predicateTypeUri(raw.type);
  } catch (cause) {
    throw new TrustError('INVALID_POLICY', `${where}.type: ${(cause as Error).message}`, { cause });
  }
  if (raw.condition !== undefined && typeof raw.condition !== 'string') {
    throw new TrustError('INVALID_POLICY', `${where}.condition: expected a CEL expression string`);
  }
  return {
    predicateType,
    ...(raw.condition ? { condition: compileCondition(raw.condition, `${where}.condition`) } : {}),
  };
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new TrustError('INVALID_POLICY', `${where}: expected a list`);
  return v;
}

function stringList(v: unknown, where: string): string[] {
  const items = list(v, where);
  if (!items.every((s) => typeof s === 'string'))
    throw new TrustError('INVALID_POLICY', `${where}: expected a list of strings`);
  return items as string[];
}

function stringRecord(v: Obj, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw new TrustError('INVALID_POLICY', `${where}.${k}: expected a string`);
    out[k] = val;
  }
  return out;
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
