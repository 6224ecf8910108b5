import { invalidVersion } from '../errors.js';
import { comparatorFrom, compareDigits, compareStrings, type VersionComparator } from './types.js';

/** A SemVer 2.0.0 version (https://semver.org); `core` may hold 1-4 numbers for the lenient flavours. */
export interface SemVer {
  readonly core: readonly string[];
  readonly pre: readonly string[];
}

const IDENT = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const STRICT = new RegExp(
  `^[v=]?\\s*(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

/** node-semver / Cargo / SemVer 2.0.0: exactly three numbers; a leading `v` or `=` is tolerated. */
export function parseSemver(raw: string, scheme = 'semver'): SemVer {
  const m = STRICT.exec(raw.trim());
  if (!m) throw invalidVersion(scheme, raw, 'not MAJOR.MINOR.PATCH[-pre][+build]');
  return { core: [m[1]!, m[2]!, m[3]!], pre: m[4] ? m[4].split('.') : [] };
}

const LENIENT = /^v?([0-9]+(?:\.[0-9]+){0,3})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/;

/** NuGet: 1 to 4 numbers, missing ones are zero; pre-release labels compare case-insensitively. */
export function parseNuget(raw: string): SemVer {
  const m = LENIENT.exec(raw.trim());
  if (!m) throw invalidVersion('NuGet', raw, 'not a NuGet version');
  return { core: m[1]!.split('.'), pre: m[2] ? m[2].toLowerCase().split('.') : [] };
}

/**
 * Go module and toolchain versions: `v1.2.3`, pseudo-versions, and the standard library's
 * `go1.21`, `go1.21.0`, `go1.21rc2` (which OSV writes as 1.21.0-rc.2).
 */
export function parseGo(raw: string): SemVer {
  const v = raw.trim();
  const tool = /^(?:go|v)?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?(?:(rc|beta)([0-9]+))?$/.exec(v);
  if (tool && (v.startsWith('go') || tool[4] || tool[3] === undefined)) {
    const pre = tool[4] ? [tool[4], tool[5]!] : [];
    return { core: [tool[1]!, tool[2]!, tool[3] ?? '0'], pre };
  }
  return parseSemver(v.replace(/^v/, ''), 'Go');
}

function compareIdent(a: string, b: string, caseless: boolean): number {
  const an = /^[0-9]+$/.test(a);
  const bn = /^[0-9]+$/.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an) return -1;
  if (bn) return 1;
  return caseless ? compareStrings(a.toLowerCase(), b.toLowerCase()) : compareStrings(a, b);
}

export function compareSemverParsed(a: SemVer, b: SemVer, caseless = false): number {
  const n = Math.max(a.core.length, b.core.length);
  for (let i = 0; i < n; i++) {
    const d = compareDigits(a.core[i] ?? '0', b.core[i] ?? '0');
    if (d !== 0) return d;
  }
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  const m = Math.min(a.pre.length, b.pre.length);
  for (let i = 0; i < m; i++) {
    const d = compareIdent(a.pre[i]!, b.pre[i]!, caseless);
    if (d !== 0) return d;
  }
  return a.pre.length - b.pre.length;
}

export const semver: VersionComparator = comparatorFrom('semver', (v) => parseSemver(v), compareSemverParsed);
export const goVersion: VersionComparator = comparatorFrom('go', parseGo, compareSemverParsed);
export const nuget: VersionComparator = comparatorFrom('nuget', parseNuget, (a, b) =>
  compareSemverParsed(a, b, true),
);
