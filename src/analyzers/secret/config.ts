import { parse } from 'yaml';
import { readInputText } from '../../core/safe-read.js';
import { safeParseWith, z } from '../../core/schema.js';
import { SEVERITIES } from '../../core/severity.js';
import { SecretConfigError } from './errors.js';
import { compileLinear } from './linear-pattern.js';
import type { AllowRule, LinearPattern, SecretConfig, SecretRule } from './types.js';

const NonEmpty = z
  .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a non-empty string') })
  .min(1, { error: 'must be a non-empty string' });
const optional = <S extends z.ZodType>(schema: S) => schema.nullish().transform((v) => v ?? undefined);
const list = <S extends z.ZodType>(item: S) =>
  z
    .array(item, { error: 'must be a list' })
    .nullish()
    .transform((v): z.output<S>[] => v ?? []);

/** A mapping with exactly these fields; another field is named with the ones allowed. */
const fieldsOf = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (expected one of ${Object.keys(shape).join(', ')})`
        : 'must be a mapping',
  });

const AllowShape = fieldsOf({
  id: NonEmpty,
  description: optional(NonEmpty),
  path: optional(NonEmpty),
  regex: optional(NonEmpty),
}).check((ctx) => {
  if (ctx.value.path === undefined && ctx.value.regex === undefined)
    ctx.issues.push({ code: 'custom', message: 'needs a path, a regex or both', input: ctx.value });
});

const ENTROPY = 'must be a number of bits per character between 0 and 8';
const FILE_SIZE = 'must be a positive integer (bytes)';

const RuleShape = fieldsOf({
  id: NonEmpty,
  category: optional(NonEmpty),
  title: NonEmpty,
  severity: NonEmpty.transform((s) => s.toUpperCase()).pipe(
    z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }),
  ),
  regex: NonEmpty,
  'secret-group': optional(NonEmpty),
  keywords: list(NonEmpty),
  requires: list(NonEmpty),
  path: optional(NonEmpty),
  entropy: z.number({ error: ENTROPY }).min(0, { error: ENTROPY }).max(8, { error: ENTROPY }).optional(),
  'allow-rules': list(AllowShape),
});

const ConfigShape = fieldsOf({
  rules: list(RuleShape),
  'allow-rules': list(AllowShape),
  'disable-rules': list(NonEmpty),
  'disable-allow-rules': list(NonEmpty),
  'max-file-size': z.int({ error: FILE_SIZE }).positive({ error: FILE_SIZE }).optional(),
});

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
  const parsed = safeParseWith(ConfigShape, doc);
  if (!parsed.ok) return fail('', parsed.message.replace(/^\(root\): /, ''));
  const config = parsed.value;
  const rules = config.rules.map((r, i) => compileRule(r, `rules[${i}]`, fail));
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.id)) fail(`rules[${i}].id`, `duplicate rule id "${r.id}"`);
    seen.add(r.id);
  });
  const maxFileSize = config['max-file-size'];
  return {
    rules,
    allowRules: config['allow-rules'].map((a, i) => compileAllow(a, `allow-rules[${i}]`, fail)),
    disableRules: config['disable-rules'],
    disableAllowRules: config['disable-allow-rules'],
    ...(maxFileSize === undefined ? {} : { maxFileSize }),
  };
}

type Fail = (field: string, message: string, cause?: unknown) => never;

/** Compiles a rule whose shape is checked: its regexes, and what the shape cannot say. */
function compileRule(f: z.output<typeof RuleShape>, at: string, fail: Fail): SecretRule {
  const compile = (source: string, field: string) => compilePattern(source, field, `rule "${f.id}"`, fail);
  const regex = compile(f.regex, `${at}.regex`);
  if (regex.test('')) fail(`${at}.regex`, 'matches the empty string');
  const secretGroup = f['secret-group'];
  if (secretGroup !== undefined && !regex.groupNames.includes(secretGroup)) {
    fail(`${at}.secret-group`, `the regex has no group named "${secretGroup}"`);
  }
  return {
    id: f.id,
    category: f.category ?? 'Custom',
    title: f.title,
    severity: f.severity,
    regex,
    keywords: f.keywords,
    requires: f.requires,
    allowRules: f['allow-rules'].map((a, i) => compileAllow(a, `${at}.allow-rules[${i}]`, fail)),
    ...(secretGroup === undefined ? {} : { secretGroup }),
    ...(f.path === undefined ? {} : { path: compile(f.path, `${at}.path`) }),
    ...(f.entropy === undefined ? {} : { minEntropy: f.entropy }),
  };
}

function compileAllow(f: z.output<typeof AllowShape>, at: string, fail: Fail): AllowRule {
  const compile = (source: string, field: string) =>
    compilePattern(source, field, `allow rule "${f.id}"`, fail);
  return {
    id: f.id,
    ...(f.description === undefined ? {} : { description: f.description }),
    ...(f.path === undefined ? {} : { path: compile(f.path, `${at}.path`) }),
    ...(f.regex === undefined ? {} : { regex: compile(f.regex, `${at}.regex`) }),
  };
}

/**
 * Every regex of a config (rules, their paths, allow rules) runs on RE2, in time linear in the
 * text: RE2 (Go) syntax, which trivy and gitleaks configs use, with `(?<name>...)` accepted too.
 * A pattern RE2 cannot run (lookaround, backreferences) is refused, naming the rule and the construct.
 */
function compilePattern(source: string, field: string, owner: string, fail: Fail): LinearPattern {
  const compiled = compileLinear(source);
  return compiled.ok ? compiled.pattern : fail(field, `${owner}: ${compiled.message}`);
}
