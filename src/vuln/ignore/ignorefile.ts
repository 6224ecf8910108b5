import { parse } from 'yaml';
import { readInputText } from '../../core/safe-read.js';
import { defined, safeParseWith, z } from '../../core/schema.js';
import type { Finding } from '../../core/types.js';
import { VulnError } from '../errors.js';
import { parsePlainList } from './plain-list.js';
import { type IgnoreRule, namesFinding, type Suppressor } from './types.js';

export type { IgnoreRule };

/**
 * An ignore file is either Trivy's plain list (`.trivyignore`: one id a line, `#` comments,
 * `ID exp:YYYY-MM-DD`; see plain-list.ts) or `.strataignore` YAML:
 *
 *     ignore:
 *       - id: CVE-2023-5363          # advisory id or alias (required)
 *         package: libssl3           # optional: package name or purl prefix
 *         path: var/lib/dpkg/status  # optional: location path (glob `*`, `**`) or resource
 *         expires: 2026-12-31        # optional: stops ignoring after this day (UTC), with a warning
 *         reason: not reachable      # optional, shown in the JSON evidence
 */
export interface IgnoreFile {
  readonly file: string;
  readonly rules: readonly IgnoreRule[];
}

/** A text field: YAML may read `reason: 42` as a number; it is the text that was meant. */
const text = (missing: string) =>
  z.preprocess(
    (v) => (typeof v === 'number' ? String(v) : v),
    z.string({ error: (i) => (i.input === undefined ? missing : 'is not a string') }),
  );
const optionalText = text('is missing')
  .nullish()
  .transform((v) => v || undefined);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// YAML reads an unquoted 2026-12-31 as a date
const Expires = z
  .preprocess(
    (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v),
    text('is missing').refine((d) => DAY.test(d) && !Number.isNaN(Date.parse(d)), {
      error: (i) => `${JSON.stringify(i.input)} is not a date (YYYY-MM-DD)`,
    }),
  )
  .nullish()
  .transform((v) => v ?? undefined);

const FIELDS = ['id', 'package', 'path', 'expires', 'reason'];

/** An entry: an advisory id alone, or a mapping of exactly these keys. */
const Rule = z.preprocess(
  (v) => (typeof v === 'string' ? { id: v } : v),
  z
    .strictObject(
      {
        id: text('is missing').refine((id) => id !== '', { error: 'is missing' }),
        package: optionalText,
        path: optionalText,
        expires: Expires,
        reason: optionalText,
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (expected one of ${FIELDS.join(', ')})`
            : 'is not a mapping or an id',
      },
    )
    .transform((r): IgnoreRule => defined(r)),
);

// a bare list is the `ignore:` list; anything but a mapping holds no rules, as before
const IgnoreDocument = z.preprocess(
  (doc) => (Array.isArray(doc) ? { ignore: doc } : typeof doc === 'object' && doc !== null ? doc : {}),
  z.object({
    ignore: z
      .array(Rule, { error: 'is not a list' })
      .nullish()
      .transform((v) => v ?? []),
  }),
);

/**
 * YAML when the document is a mapping or a list; otherwise (a plain list reads as one YAML string,
 * or is not YAML at all) Trivy's plain list, whose every line must then be an entry or a comment.
 */
export function parseIgnoreFile(file: string, text: string): IgnoreFile {
  let doc: unknown;
  let yamlError: unknown;
  try {
    doc = parse(text, { prettyErrors: false });
  } catch (err) {
    yamlError = err;
  }
  if (yamlError !== undefined || typeof doc !== 'object' || doc === null) {
    try {
      return { file, rules: parsePlainList(file, text) };
    } catch (err) {
      if (yamlError === undefined) throw err;
      throw new VulnError('IGNOREFILE_INVALID', `${file}: not valid YAML, nor a plain list of ids`, {
        cause: yamlError,
      });
    }
  }
  const parsed = safeParseWith(IgnoreDocument, doc);
  if (!parsed.ok) throw new VulnError('IGNOREFILE_INVALID', `${file}: ${parsed.message}`);
  return { file, rules: parsed.value.ignore };
}

export function loadIgnoreFile(file: string): IgnoreFile {
  let text: string;
  try {
    text = readInputText(file, { kind: 'ignorefile' });
  } catch (err) {
    throw new VulnError('IGNOREFILE_INVALID', `${file}: cannot read the ignore file`, { cause: err });
  }
  return parseIgnoreFile(file, text);
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/^\/+/, '')
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
}

function ruleMatches(rule: IgnoreRule, f: Finding): boolean {
  if (!namesFinding(rule.id, f)) return false;
  if (rule.package && f.package?.name !== rule.package && !f.package?.purl.startsWith(rule.package))
    return false;
  if (rule.path) {
    const re = globToRegExp(rule.path);
    const where = [f.location.path, f.location.resource].filter((x): x is string => !!x);
    if (!where.some((w) => re.test(w.replace(/^\/+/, '')))) return false;
  }
  return true;
}

/** An entry is live through the whole of its expiry day (UTC). */
export function isExpired(rule: IgnoreRule, now: Date): boolean {
  return rule.expires !== undefined && now.getTime() >= Date.parse(`${rule.expires}T00:00:00Z`) + 86_400_000;
}

/** The suppressor for the live entries, and one warning per expired entry (which no longer ignores). */
export function ignoreFileSuppressor(
  ignore: IgnoreFile,
  now: Date = new Date(),
): { suppressor: Suppressor; warnings: string[] } {
  const warnings: string[] = [];
  const live: IgnoreRule[] = [];
  ignore.rules.forEach((rule, i) => {
    if (isExpired(rule, now)) {
      warnings.push(
        `${ignore.file}: ignore[${i}] for ${rule.id} expired on ${rule.expires}${rule.reason ? ` (${rule.reason})` : ''}; it no longer ignores`,
      );
    } else live.push(rule);
  });
  const suppressor: Suppressor = (f) => {
    const rule = live.find((r) => ruleMatches(r, f));
    if (!rule) return undefined;
    return {
      by: 'ignorefile',
      file: ignore.file,
      rule: rule.id,
      ...(rule.reason ? { reason: rule.reason } : {}),
      ...(rule.expires ? { expires: rule.expires } : {}),
    };
  };
  return { suppressor, warnings };
}
