import { parse } from 'yaml';
import { readInputText } from '../../core/safe-read.js';
import type { Finding } from '../../core/types.js';
import { VulnError } from '../errors.js';
import { namesFinding, type Suppressor } from './types.js';

/**
 * `.strataignore` (YAML):
 *
 *     ignore:
 *       - id: CVE-2023-5363          # advisory id or alias (required)
 *         package: libssl3           # optional: package name or purl prefix
 *         path: var/lib/dpkg/status  # optional: location path (glob `*`, `**`) or resource
 *         expires: 2026-12-31        # optional: stops ignoring after this day (UTC), with a warning
 *         reason: not reachable      # optional, shown in the JSON evidence
 */
export interface IgnoreRule {
  readonly id: string;
  readonly package?: string;
  readonly path?: string;
  readonly expires?: string;
  readonly reason?: string;
}

export interface IgnoreFile {
  readonly file: string;
  readonly rules: readonly IgnoreRule[];
}

const KEYS = new Set(['id', 'package', 'path', 'expires', 'reason']);

function bad(file: string, where: string, why: string): VulnError {
  return new VulnError('IGNOREFILE_INVALID', `${file}: ${where}: ${why}`);
}

function parseRule(file: string, raw: unknown, i: number): IgnoreRule {
  const where = `ignore[${i}]`;
  if (typeof raw === 'string') return { id: raw };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw bad(file, where, 'is not a mapping or an id');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw bad(file, `${where}.${k}`, 'unknown key');
  const text = (k: string): string | undefined => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (v instanceof Date && k === 'expires') return v.toISOString().slice(0, 10);
    if (typeof v !== 'string' && typeof v !== 'number') throw bad(file, `${where}.${k}`, 'is not a string');
    return String(v);
  };
  const id = text('id');
  if (!id) throw bad(file, `${where}.id`, 'is missing');
  const expires = text('expires');
  if (expires !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(expires)))) {
    throw bad(file, `${where}.expires`, `"${expires}" is not a date (YYYY-MM-DD)`);
  }
  const pkg = text('package');
  const path = text('path');
  const reason = text('reason');
  return {
    id,
    ...(pkg ? { package: pkg } : {}),
    ...(path ? { path } : {}),
    ...(expires ? { expires } : {}),
    ...(reason ? { reason } : {}),
  };
}

export function parseIgnoreFile(file: string, text: string): IgnoreFile {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: false });
  } catch (err) {
    throw new VulnError('IGNOREFILE_INVALID', `${file}: not valid YAML`, { cause: err });
  }
  if (doc === null || doc === undefined) return { file, rules: [] };
  const list = Array.isArray(doc) ? doc : (doc as Record<string, unknown>).ignore;
  if (list === undefined || list === null) return { file, rules: [] };
  if (!Array.isArray(list)) throw bad(file, 'ignore', 'is not a list');
  return { file, rules: list.map((r, i) => parseRule(file, r, i)) };
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
