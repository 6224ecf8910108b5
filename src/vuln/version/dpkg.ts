import { invalidVersion } from '../errors.js';
import { comparatorFrom, compareDigits, type VersionComparator } from './types.js';

/** A Debian version: [epoch:]upstream_version[-debian_revision] (deb-version(7)). */
export interface DpkgVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

export function parseDpkg(raw: string): DpkgVersion {
  const v = raw.trim();
  if (v === '') throw invalidVersion('dpkg', raw, 'empty');
  if (/\s/.test(v)) throw invalidVersion('dpkg', raw, 'contains whitespace');
  let epoch = 0;
  let rest = v;
  const colon = v.indexOf(':');
  if (colon >= 0) {
    const e = v.slice(0, colon);
    if (!/^[0-9]+$/.test(e)) throw invalidVersion('dpkg', raw, 'epoch is not a number');
    epoch = Number(e);
    rest = v.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '') throw invalidVersion('dpkg', raw, 'empty upstream version');
  if (!/^[0-9]/.test(upstream))
    throw invalidVersion('dpkg', raw, 'upstream version does not start with a digit');
  if (!/^[A-Za-z0-9.+~:-]+$/.test(upstream)) throw invalidVersion('dpkg', raw, 'bad character in version');
  if (dash >= 0 && !/^[A-Za-z0-9.+~]+$/.test(revision))
    throw invalidVersion('dpkg', raw, 'bad character in revision');
  return { epoch, upstream, revision };
}

/** dpkg's character weight: `~` sorts before everything, even the end; letters before non-letters. */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (c >= '0' && c <= '9') return 0;
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** dpkg's verrevcmp: alternating non-digit and digit runs. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(isDigit(a[i]) ? undefined : a[i]);
      const bc = order(isDigit(b[j]) ? undefined : b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    const si = i;
    while (isDigit(a[i])) i++;
    const sj = j;
    while (isDigit(b[j])) j++;
    const d = compareDigits(a.slice(si, i) || '0', b.slice(sj, j) || '0');
    if (d !== 0) return d;
  }
  return 0;
}

export function compareDpkgParsed(a: DpkgVersion, b: DpkgVersion): number {
  return a.epoch - b.epoch || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}

export const dpkg: VersionComparator = comparatorFrom('dpkg', parseDpkg, compareDpkgParsed);
