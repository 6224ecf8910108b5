import { parse } from 'yaml';
import { readInputText } from '../../core/safe-read.js';
import { isSeverity, SEVERITIES } from '../../core/severity.js';
import { SecretConfigError } from './errors.js';
import type { AllowRule, SecretConfig, SecretRule } from './types.js';

type Fields = Record<string, unknown>;

const TOP_FIELDS = ['rules', 'allow-rules', 'disable-rules', 'disable-allow-rules', 'max-file-size'];
const RULE_FIELDS = [
  'id',
  'category',
  'title',
  'severity',
  'regex',
  'secret-group',
  'keywords',
  'requires',
  'path',
  'entropy',
  'allow-rules',
];
const ALLOW_FIELDS = ['id', 'description', 'path', 'regex'];

/**
 * Reads a secret-scanning config (YAML): custom rules, allow rules, rules to turn off. Every problem
 * is one SecretConfigError naming the file and the field (`rules[1].regex: ...`).
 */
export function loadSecretConfig(path: string): SecretConfig {
  let text: string;
  try {
    text = readInputText(path, { kind: 'secret-config' });
  } catch (cause) {
    throw new SecretConfigError('SECRET_CONFIG_NOT_FOUND', `${path}: cannot read the secret config`, {
      cause,
    });
  }
  return parseSecretConfig(text, path);
}

/** Parses config text; `file` only names the source in error messages. */
export function parseSecretConfig(text: string, file: string): SecretConfig {
  const fail = (field: string, message: string, cause?: unknown): never => {
    throw new SecretConfigError('SECRET_CONFIG_INVALID', `${file}: ${field}${field ? ': ' : ''}${message}`, {
      cause,
    });
  };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (cause) {
    const first = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return fail('', `not valid YAML (${first})`, cause);
  }
  if (doc === null || doc === undefined) return {};
  const top = fields(doc, '', fail);
  checkKnown(top, TOP_FIELDS, '', fail);
  const rules = list(top.rules, 'rules', fail).map((r, i) => parseRule(r, `rules[${i}]`, fail));
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.id)) fail(`rules[${i}].id`, `duplicate rule id "${r.id}"`);
    seen.add(r.id);
  });
  const maxFileSize = top['max-file-size'];
  if (maxFileSize !== undefined && (!Number.isInteger(maxFileSize) || (maxFileSize as number) <= 0)) {
    fail('max-file-size', 'must be a positive integer (bytes)');
  }
  return {
    rules,
    allowRules: list(top['allow-rules'], 'allow-rules', fail).map((a, i) =>
      parseAllow(a, `allow-rules[${i}]`, fail),
    ),
    disableRules: strings(top['disable-rules'], 'disable-rules', fail),
    disableAllowRules: strings(top['disable-allow-rules'], 'disable-allow-rules', fail),
    ...(maxFileSize === undefined ? {} : { maxFileSize: maxFileSize as number }),
  };
}

type Fail = (field: string, message: string, cause?: unknown) => never;

function parseRule(value: unknown, at: string, fail: Fail): SecretRule {
  const f = fields(value, at, fail);
  checkKnown(f, RULE_FIELDS, at, fail);
  const severity = requiredString(f, 'severity', at, fail).toUpperCase();
  if (!isSeverity(severity)) fail(`${at}.severity`, `must be one of ${SEVERITIES.join(', ')}`);
  const regex = compileRegex(requiredString(f, 'regex', at, fail), `${at}.regex`, fail);
  if (regex.test('')) fail(`${at}.regex`, 'matches the empty string');
  const secretGroup = optionalString(f, 'secret-group', at, fail);
  if (secretGroup !== undefined && !new RegExp(`\\(\\?<${secretGroup}>`).test(regex.source)) {
    fail(`${at}.secret-group`, `the regex has no group named "${secretGroup}"`);
  }
  const path = optionalString(f, 'path', at, fail);
  const entropy = f.entropy;
  if (entropy !== undefined && (typeof entropy !== 'number' || entropy < 0 || entropy > 8)) {
    fail(`${at}.entropy`, 'must be a number of bits per character between 0 and 8');
  }
  return {
    id: requiredString(f, 'id', at, fail),
    category: optionalString(f, 'category', at, fail) ?? 'Custom',
    title: requiredString(f, 'title', at, fail),
    severity: severity as SecretRule['severity'],
    regex,
    keywords: strings(f.keywords, `${at}.keywords`, fail),
    requires: strings(f.requires, `${at}.requires`, fail),
    allowRules: list(f['allow-rules'], `${at}.allow-rules`, fail).map((a, i) =>
      parseAllow(a, `${at}.allow-rules[${i}]`, fail),
    ),
    ...(secretGroup === undefined ? {} : { secretGroup }),
    ...(path === undefined ? {} : { path: compileRegex(path, `${at}.path`, fail) }),
    ...(entropy === undefined ? {} : { minEntropy: entropy as number }),
  };
}

function parseAllow(value: unknown, at: string, fail: Fail): AllowRule {
  const f = fields(value, at, fail);
  checkKnown(f, ALLOW_FIELDS, at, fail);
  const path = optionalString(f, 'path', at, fail);
  const regex = optionalString(f, 'regex', at, fail);
  if (path === undefined && regex === undefined) fail(at, 'needs a path, a regex or both');
  const description = optionalString(f, 'description', at, fail);
  return {
    id: requiredString(f, 'id', at, fail),
    ...(description === undefined ? {} : { description }),
    ...(path === undefined ? {} : { path: compileRegex(path, `${at}.path`, fail) }),
    ...(regex === undefined ? {} : { regex: compileRegex(regex, `${at}.regex`, fail) }),
  };
}

/**
 * JavaScript regex syntax; the Go spellings that trivy and gitleaks configs use are accepted too:
 * a leading `(?i)` (or `(?s)`, `(?m)`) becomes a flag, `(?P<name>` a named group.
 */
export function compileRegex(source: string, field: string, fail: Fail): RegExp {
  let body = source;
  let flags = '';
  const inline = /^\(\?([ims]+)\)/.exec(body);
  if (inline) {
    flags = [...new Set(inline[1])].join('');
    body = body.slice(inline[0].length);
  }
  body = body.replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(body, flags);
  } catch (cause) {
    return fail(
      field,
      `invalid regular expression: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    );
  }
}

function fields(value: unknown, at: string, fail: Fail): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(at, 'must be a mapping');
  return value as Fields;
}

function checkKnown(f: Fields, known: readonly string[], at: string, fail: Fail): void {
  for (const key of Object.keys(f)) {
    if (!known.includes(key))
      fail(at ? `${at}.${key}` : key, `unknown field (expected one of ${known.join(', ')})`);
  }
}

function list(value: unknown, at: string, fail: Fail): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(at, 'must be a list');
  return value;
}

function strings(value: unknown, at: string, fail: Fail): string[] {
  return list(value, at, fail).map((v, i) =>
    typeof v === 'string' && v.length > 0 ? v : fail(`${at}[${i}]`, 'must be a non-empty string'),
  );
}

function optionalString(f: Fields, key: string, at: string, fail: Fail): string | undefined {
  const v = f[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length === 0) return fail(`${at}.${key}`, 'must be a non-empty string');
  return v;
}

function requiredString(f: Fields, key: string, at: string, fail: Fail): string {
  return optionalString(f, key, at, fail) ?? fail(`${at}.${key}`, 'is required');
}
