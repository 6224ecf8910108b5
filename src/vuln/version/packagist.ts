import { invalidVersion } from '../errors.js';
import { comparatorFrom, compareDigits, type VersionComparator } from './types.js';

/**
 * Packagist (Composer) versions in PHP's `version_compare` order, after Composer's normalisation of a
 * leading `v`: parts split at `.`, `-`, `_`, `+` and digit/letter transitions; special words order as
 * dev < alpha = a < beta = b < RC = rc < (number) < pl = p; any other word sorts before dev.
 */
export type PackagistPart = { readonly num: string } | { readonly word: number };

// PHP's special forms, matched as prefixes in this order; other words rank below dev.
const FORMS: readonly (readonly [string, number])[] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const NUMBER = 4;

function formOrder(word: string): number {
  return FORMS.find(([name]) => word.startsWith(name))?.[1] ?? -1;
}

export function parsePackagist(raw: string): PackagistPart[] {
  const v = raw.trim().replace(/^v/i, '');
  if (v === '' || !/^[0-9A-Za-z.+_-]+$/.test(v) || !/^[0-9]/.test(v))
    throw invalidVersion('Packagist', raw, 'not a Composer version');
  return v
    .replace(/([0-9])(?=[A-Za-z])|([A-Za-z])(?=[0-9])/g, '$1$2.')
    .split(/[.+_-]+/)
    .filter((p) => p !== '')
    .map((p) => (/^[0-9]+$/.test(p) ? { num: p } : { word: formOrder(p) }));
}

const order = (p: PackagistPart): number => ('num' in p ? NUMBER : p.word);

export function comparePackagistParsed(a: readonly PackagistPart[], b: readonly PackagistPart[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    let d: number;
    if (x && y) d = 'num' in x && 'num' in y ? compareDigits(x.num, y.num) : order(x) - order(y);
    else if (x) d = 'num' in x ? 1 : x.word - NUMBER;
    else if (y) d = 'num' in y ? -1 : NUMBER - y.word;
    else d = 0;
    if (d !== 0) return d;
  }
  return 0;
}

export const packagist: VersionComparator = comparatorFrom(
  'packagist',
  parsePackagist,
  comparePackagistParsed,
);
