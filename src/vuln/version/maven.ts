import { invalidVersion } from '../errors.js';
import { comparatorFrom, compareDigits, compareStrings, type VersionComparator } from './types.js';

/**
 * Maven's ComparableVersion order: items separated by `.`, `-` and digit/letter transitions;
 * a `-` (or a transition) opens a sub-list; known qualifiers order as
 * alpha < beta < milestone < rc < snapshot < "" (ga, final, release) < sp < unknown (lexical).
 */
type Item =
  | { readonly kind: 'int'; readonly value: string }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'list'; readonly items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = QUALIFIERS.indexOf('');

function stringItem(raw: string, followedByDigit: boolean): Item {
  let value = raw;
  if (followedByDigit && value.length === 1) {
    value = ({ a: 'alpha', b: 'beta', m: 'milestone' } as Record<string, string>)[value] ?? value;
  }
  return { kind: 'str', value: ALIASES[value] ?? value };
}

function qualifierKey(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'int':
      return /^0+$/.test(item.value);
    case 'str':
      return qualifierKey(item.value) === String(RELEASE_INDEX);
    case 'list':
      return item.items.length === 0;
  }
}

/**
 * Drops null items (0, "", empty lists) at the end of a list, also before trailing sub-lists; a release
 * qualifier ("", ga, final) before a sub-list stays, so 1.0.final-redhat < 1.0-sp1-redhat (MNG-7714).
 */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i]!;
    const trailing = i === list.length - 1;
    if (isNull(last) && (trailing || last.kind !== 'str')) list.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { kind: 'int', value: buf.replace(/^0+(?=.)/, '') } : stringItem(buf, false);
}

export function parseMaven(raw: string): Item {
  const version = raw.trim().toLowerCase();
  if (version === '') throw invalidVersion('Maven', raw, 'empty');
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let isDigit = false;
  let start = 0;
  const push = (): void => {
    const child: Item[] = [];
    list.push({ kind: 'list', items: child });
    list = child;
    stack.push(child);
  };
  for (let i = 0; i < version.length; i++) {
    const c = version[i]!;
    if (c === '.' || c === '-') {
      if (i === start) list.push({ kind: 'int', value: '0' });
      else list.push(parseItem(isDigit, version.slice(start, i)));
      start = i + 1;
      if (c === '-') push();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.push(stringItem(version.slice(start, i), true));
        start = i;
        push();
      }
      isDigit = true;
    } else {
      // MNG-7644: a qualifier after a dot starts a sub-list as if a hyphen preceded it (2.0.abc == 2-abc)
      if (i === start && i > 0 && version[i - 1] === '.') push();
      if (isDigit && i > start) {
        list.push(parseItem(true, version.slice(start, i)));
        start = i;
        push();
      }
      isDigit = false;
    }
  }
  if (version.length > start) list.push(parseItem(isDigit, version.slice(start)));
  while (stack.length) normalize(stack.pop()!);
  return { kind: 'list', items: root };
}

function compareItems(a: Item, b: Item | undefined): number {
  switch (a.kind) {
    case 'int':
      if (!b) return isNull(a) ? 0 : 1;
      return b.kind === 'int' ? compareDigits(a.value, b.value) : 1;
    case 'str':
      if (!b) return compareStrings(qualifierKey(a.value), String(RELEASE_INDEX));
      if (b.kind === 'str') return compareStrings(qualifierKey(a.value), qualifierKey(b.value));
      return -1;
    case 'list': {
      if (!b) {
        const first = a.items[0];
        return first ? compareItems(first, undefined) : 0;
      }
      if (b.kind === 'int') return -1;
      if (b.kind === 'str') return 1;
      const n = Math.max(a.items.length, b.items.length);
      for (let i = 0; i < n; i++) {
        const l = a.items[i];
        const r = b.items[i];
        const result = l ? compareItems(l, r) : r ? -compareItems(r, undefined) : 0;
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}

export const maven: VersionComparator = comparatorFrom('maven', parseMaven, (a, b) => compareItems(a, b));
