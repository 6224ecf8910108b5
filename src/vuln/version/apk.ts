import { invalidVersion } from '../errors.js';
import { comparatorFrom, compareDigits, compareStrings, type VersionComparator } from './types.js';

/**
 * Alpine's apk version order (apk-tools `src/version.c`), for versions of the form
 * `N(.N)*[a-z]?(_suffix[N])*[~hash][-rN]`. Suffixes order alpha < beta < pre < rc < (none) < cvs < svn <
 * git < hg < p. A dotted number with a leading zero compares as a decimal fraction (1.001 < 1.01 < 1.1).
 */
enum T {
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  Hash = 5,
  Revision = 6,
  End = 7,
}

interface Token {
  readonly t: T;
  readonly num?: string;
  readonly value?: number;
  readonly str?: string;
}

const PRE = ['alpha', 'beta', 'pre', 'rc'];
const POST = ['cvs', 'svn', 'git', 'hg', 'p'];
const GRAMMAR =
  /^([0-9]+)((?:\.[0-9]+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*)(?:~([0-9a-f]+))?(?:-r([0-9]+))?$/;

export function isValidApk(version: string): boolean {
  return GRAMMAR.test(version);
}

function suffixValue(name: string): number {
  const pre = PRE.indexOf(name);
  return pre >= 0 ? pre - PRE.length : POST.indexOf(name);
}

export function tokenizeApk(version: string): Token[] {
  const m = GRAMMAR.exec(version);
  if (!m) throw invalidVersion('apk', version, 'not N[.N...][letter][_suffix[N]...][~hash][-rN]');
  const out: Token[] = [{ t: T.Digit, num: m[1]! }];
  for (const part of m[2]!.split('.').slice(1)) {
    out.push(part.startsWith('0') ? { t: T.Digit, str: part } : { t: T.Digit, num: part });
  }
  if (m[3]) out.push({ t: T.Letter, value: m[3].charCodeAt(0) });
  for (const s of m[4]!.split('_').slice(1)) {
    const [, name, n] = /^([a-z]+)([0-9]*)$/.exec(s)!;
    out.push({ t: T.Suffix, value: suffixValue(name!) });
    if (n) out.push({ t: T.SuffixNo, num: n });
  }
  if (m[5]) out.push({ t: T.Hash, str: m[5] });
  if (m[6]) out.push({ t: T.Revision, num: m[6] });
  return out;
}

function compareValues(a: Token, b: Token): number {
  if (a.value !== undefined && b.value !== undefined) return a.value - b.value;
  if (a.num !== undefined && b.num !== undefined) return compareDigits(a.num, b.num);
  // a leading zero makes the part a fraction: compare the digit strings as written
  return compareStrings(a.str ?? a.num ?? '', b.str ?? b.num ?? '');
}

export function compareApkTokens(a: readonly Token[], b: readonly Token[]): number {
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    const at = x?.t ?? T.End;
    const bt = y?.t ?? T.End;
    if (at === bt) {
      if (!x || !y) return 0;
      const d = compareValues(x, y);
      if (d !== 0) return d;
      continue;
    }
    // one side goes on: it is newer unless what follows is a pre-release suffix
    if (x?.t === T.Suffix && x.value! < 0) return -1;
    if (y?.t === T.Suffix && y.value! < 0) return 1;
    return at > bt ? -1 : 1;
  }
}

export const apk: VersionComparator = comparatorFrom('apk', tokenizeApk, compareApkTokens);
export const compareApk = (a: string, b: string): number => apk.compare(a, b);
