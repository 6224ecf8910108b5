import { invalidVersion } from '../errors.js';
import { comparatorFrom, compareStrings, type VersionComparator } from './types.js';

/** A PEP 440 version, normalised (https://peps.python.org/pep-0440/). */
export interface Pep440Version {
  readonly epoch: number;
  readonly release: readonly number[];
  readonly pre?: readonly [letter: 'a' | 'b' | 'rc', n: number];
  readonly post?: number;
  readonly dev?: number;
  readonly local?: readonly (string | number)[];
}

// The grammar of PEP 440's appendix ("the canonical public version identifiers", permissive form).
const PATTERN = new RegExp(
  '^\\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?)' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);

function preLetter(l: string): 'a' | 'b' | 'rc' {
  const x = l.toLowerCase();
  if (x === 'alpha' || x === 'a') return 'a';
  if (x === 'beta' || x === 'b') return 'b';
  return 'rc';
}

export function parsePep440(raw: string): Pep440Version {
  const m = PATTERN.exec(raw);
  const g = m?.groups;
  if (!g?.release) throw invalidVersion('PEP 440', raw, 'does not match the PEP 440 grammar');
  const post = g.post_n1 ?? g.post_n2 ?? (g.post_l ? '0' : undefined);
  return {
    epoch: g.epoch ? Number(g.epoch) : 0,
    release: g.release.split('.').map(Number),
    ...(g.pre_l ? { pre: [preLetter(g.pre_l), Number(g.pre_n ?? 0)] as const } : {}),
    ...(post !== undefined ? { post: Number(post) } : {}),
    ...(g.dev_l ? { dev: Number(g.dev_n ?? 0) } : {}),
    ...(g.local
      ? {
          local: g.local
            .toLowerCase()
            .split(/[-_.]/)
            .map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p)),
        }
      : {}),
  };
}

const NEG = Number.NEGATIVE_INFINITY;
const POS = Number.POSITIVE_INFINITY;
const PRE_ORDER = { a: 0, b: 1, rc: 2 } as const;

function compareRelease(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The pre-release key: a dev release of a final sorts before its pre-releases. */
function preKey(v: Pep440Version): [number, number] {
  if (!v.pre && v.post === undefined && v.dev !== undefined) return [NEG, 0];
  if (!v.pre) return [POS, 0];
  return [PRE_ORDER[v.pre[0]], v.pre[1]];
}

function compareLocal(a: Pep440Version['local'], b: Pep440Version['local']): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return x - y;
    } else if (typeof x === 'number') return 1;
    else if (typeof y === 'number') return -1;
    else if (x !== y) return compareStrings(x, y);
  }
  return a.length - b.length;
}

const cmpNum = (a: number, b: number): number => (a === b ? 0 : a < b ? -1 : 1);

export function comparePep440Parsed(a: Pep440Version, b: Pep440Version): number {
  const [ap, an] = preKey(a);
  const [bp, bn] = preKey(b);
  return (
    cmpNum(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    cmpNum(ap, bp) ||
    cmpNum(an, bn) ||
    cmpNum(a.post ?? NEG, b.post ?? NEG) ||
    cmpNum(a.dev ?? POS, b.dev ?? POS) ||
    compareLocal(a.local, b.local)
  );
}

export const pep440: VersionComparator = comparatorFrom('pep440', parsePep440, comparePep440Parsed);
