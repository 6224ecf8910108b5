import { invalidVersion } from '../errors.js';
import { comparatorFrom, compareDigits, compareStrings, type VersionComparator } from './types.js';

/** An rpm EVR: [epoch:]version[-release]. */
export interface RpmVersion {
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
}

export function parseRpm(raw: string): RpmVersion {
  const v = raw.trim();
  if (v === '' || /\s/.test(v)) throw invalidVersion('rpm', raw, 'empty or contains whitespace');
  let epoch = 0;
  let rest = v;
  const colon = v.indexOf(':');
  if (colon >= 0) {
    const e = v.slice(0, colon);
    if (!/^[0-9]*$/.test(e)) throw invalidVersion('rpm', raw, 'epoch is not a number');
    epoch = e === '' ? 0 : Number(e);
    rest = v.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const version = dash >= 0 ? rest.slice(0, dash) : rest;
  const release = dash >= 0 ? rest.slice(dash + 1) : '';
  if (version === '') throw invalidVersion('rpm', raw, 'empty version');
  return { epoch, version, release };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAlpha(c);

/** rpmvercmp: segments of digits or letters; `~` sorts before anything, `^` after the end only. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const si = i;
    const sj = j;
    const num = isDigit(a[i]);
    const cls = num ? isDigit : isAlpha;
    while (cls(a[i])) i++;
    while (cls(b[j])) j++;
    if (sj === j) return num ? 1 : -1;
    const x = a.slice(si, i);
    const y = b.slice(sj, j);
    const rc = num ? compareDigits(x, y) : compareStrings(x, y);
    if (rc !== 0) return rc;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

export function compareRpmParsed(a: RpmVersion, b: RpmVersion): number {
  return Math.sign(a.epoch - b.epoch) || rpmvercmp(a.version, b.version) || rpmvercmp(a.release, b.release);
}

export const rpm: VersionComparator = comparatorFrom('rpm', parseRpm, compareRpmParsed);
