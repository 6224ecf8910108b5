import { FuncError } from '../template/errors.js';
import type { GoFunc, GoMap } from '../template/value.js';
import { str } from './convert.js';

/** A semantic version as Masterminds/semver reads it (leading `v`, missing minor/patch are 0). */
interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: string;
  readonly meta: string;
  readonly original: string;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

export function parseVersion(s: string): Version {
  const m = VERSION.exec(s.trim());
  if (!m) throw new FuncError('Invalid Semantic Version');
  return {
    major: Number(m[1]),
    minor: Number(m[2] ?? 0),
    patch: Number(m[3] ?? 0),
    pre: m[4] ?? '',
    meta: m[5] ?? '',
    original: s,
  };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      if (Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return comparePre(a.pre, b.pre);
}

type Test = (v: Version) => boolean;

/** One `op version` term, with wildcards (`1.2.x`, `*`) and `^`/`~` ranges. */
function term(text: string): Test {
  const m =
    /^(>=|<=|!=|=>|=<|==|>|<|=|\^|~>|~)?\s*v?(\*|x|X|\d+)(?:\.(\*|x|X|\d+))?(?:\.(\*|x|X|\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(
      text.trim(),
    );
  if (!m) throw new FuncError(`improper constraint: ${text}`);
  const op = m[1] ?? '';
  const wild = (x: string | undefined) => x === undefined || /^[*xX]$/.test(x);
  const parts = [m[2], m[3], m[4]];
  const dirty = parts.findIndex(wild); // first wildcard or missing part (-1: none)
  const nums = parts.map((p) => (wild(p) ? 0 : Number(p)));
  const pre = m[5]?.slice(1) ?? '';
  const c: Version = { major: nums[0]!, minor: nums[1]!, patch: nums[2]!, pre, meta: '', original: text };
  const cmp = (v: Version) => compareVersions(v, c);
  const bump = (level: number): Version => {
    const n = [...nums];
    n[level] = n[level]! + 1;
    for (let i = level + 1; i < 3; i++) n[i] = 0;
    return { major: n[0]!, minor: n[1]!, patch: n[2]!, pre: '', meta: '', original: '' };
  };
  const below = (u: Version) => (v: Version) => compareVersions(v, u) < 0;
  // prereleases match only constraints that name a prerelease (Masterminds' rule)
  const preOk = (v: Version) => !v.pre || !!pre;
  const gate =
    (t: Test): Test =>
    (v) =>
      preOk(v) && t(v);
  if (dirty === 0 && op !== '' && op !== '=' && op !== '==') {
    if (op === '!=') return () => false;
    return gate(() => op.startsWith('>') || op === '=>' || op === '^' || op.startsWith('~'));
  }
  switch (op) {
    case '':
    case '=':
    case '==':
      if (dirty === -1) return gate((v) => cmp(v) === 0);
      if (dirty === 0) return gate(() => true);
      return gate((v) => cmp(v) >= 0 && below(bump(dirty - 1))(v));
    case '!=':
      if (dirty === -1) return gate((v) => cmp(v) !== 0);
      return gate((v) => !(cmp(v) >= 0 && below(bump(dirty - 1))(v)));
    case '>':
      if (dirty === -1) return gate((v) => cmp(v) > 0);
      return gate((v) => compareVersions(v, bump(dirty - 1)) >= 0);
    case '>=':
    case '=>':
      return gate((v) => cmp(v) >= 0);
    case '<':
      return gate((v) => cmp(v) < 0);
    case '<=':
    case '=<':
      if (dirty === -1) return gate((v) => cmp(v) <= 0);
      return gate((v) => below(bump(dirty - 1))(v));
    case '~':
    case '~>':
      return gate((v) => cmp(v) >= 0 && below(bump(dirty === 1 ? 0 : 1))(v));
    case '^': {
      const level = c.major > 0 || dirty === 1 ? 0 : c.minor > 0 || dirty === 2 ? 1 : 2;
      return gate((v) => cmp(v) >= 0 && below(bump(level))(v));
    }
    default:
      throw new FuncError(`improper constraint: ${text}`);
  }
}

/** Masterminds constraints: `||` alternatives of `,`/space-separated terms, and `a - b` ranges. */
export function satisfies(constraint: string, version: Version): boolean {
  return constraint.split('||').some((alt) => {
    const text = alt.trim().replace(/\s*([<>=!~^]+)\s*/g, ' $1');
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alt);
    const terms = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text.split(/[\s,]+/).filter(Boolean);
    if (terms.length === 0) throw new FuncError(`improper constraint: ${constraint}`);
    return terms.every((t) => term(t)(version));
  });
}

function semverObject(v: Version): GoMap {
  return {
    Major: BigInt(v.major),
    Minor: BigInt(v.minor),
    Patch: BigInt(v.patch),
    Prerelease: v.pre,
    Metadata: v.meta,
    Original: v.original,
  };
}

export const SEMVER_FUNCS: [string, GoFunc][] = [
  ['semverCompare', (c, v) => satisfies(str(c, 'semverCompare'), parseVersion(str(v, 'semverCompare')))],
  ['semver', (v) => semverObject(parseVersion(str(v, 'semver')))],
];
