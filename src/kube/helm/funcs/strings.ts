import { goQuote } from '../template/fmt.js';
import type { GoFunc, GoValue } from '../template/value.js';
import { int, list, str, strval } from './convert.js';

function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(0, n));
  return pad + s.replace(/\n/g, `\n${pad}`);
}

function words(s: string): string[] {
  return s.split(/[\s_-]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
}

function title(s: string): string {
  // strings.Title: the first letter of each word (after a non-letter) upper-cased
  return s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

function trunc(c: number, s: string): string {
  const chars = [...s];
  if (c >= 0 && chars.length > c) return chars.slice(0, c).join('');
  if (c < 0 && chars.length + c > 0) return chars.slice(chars.length + c).join('');
  return s;
}

function substr(start: number, end: number, s: string): string {
  const b = Buffer.from(s);
  if (start < 0) return b.subarray(0, end).toString('utf8');
  if (end < 0 || end > b.length) return b.subarray(start).toString('utf8');
  return b.subarray(start, end).toString('utf8');
}

function trimSet(cut: string, s: string): string {
  const set = new Set([...cut]);
  const chars = [...s];
  let i = 0;
  let j = chars.length;
  while (i < j && set.has(chars[i]!)) i++;
  while (j > i && set.has(chars[j - 1]!)) j--;
  return chars.slice(i, j).join('');
}

function splitN(sep: string, s: string, n: number): string[] {
  if (n === 0) return [];
  const parts = sep === '' ? [...s] : s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function join(sep: string, v: GoValue): string {
  if (typeof v === 'string') return v;
  const items = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
  return items.map((x) => (x === null || x === undefined ? '' : strval(x))).join(sep);
}

function abbrev(width: number, s: string): string {
  if (width < 4 || s.length <= width) return s;
  return `${s.slice(0, width - 3)}...`;
}

export const STRING_FUNCS: [string, GoFunc][] = [
  ['upper', (s) => str(s, 'upper').toUpperCase()],
  ['lower', (s) => str(s, 'lower').toLowerCase()],
  ['title', (s) => title(str(s, 'title'))],
  [
    'untitle',
    (s) => str(s, 'untitle').replace(/(^|\s)(\p{L})/gu, (_m, p: string, c: string) => p + c.toLowerCase()),
  ],
  ['trim', (s) => str(s, 'trim').trim()],
  ['trimAll', (c, s) => trimSet(str(c, 'trimAll'), str(s, 'trimAll'))],
  [
    'trimPrefix',
    (p, s) => {
      const a = str(p, 'trimPrefix');
      const b = str(s, 'trimPrefix');
      return a && b.startsWith(a) ? b.slice(a.length) : b;
    },
  ],
  [
    'trimSuffix',
    (p, s) => {
      const a = str(p, 'trimSuffix');
      const b = str(s, 'trimSuffix');
      return a && b.endsWith(a) ? b.slice(0, -a.length) : b;
    },
  ],
  ['trunc', (c, s) => trunc(int(c), str(s, 'trunc'))],
  ['substr', (a, b, s) => substr(int(a), int(b), str(s, 'substr'))],
  ['contains', (sub, s) => str(s, 'contains').includes(str(sub, 'contains'))],
  ['hasPrefix', (p, s) => str(s, 'hasPrefix').startsWith(str(p, 'hasPrefix'))],
  ['hasSuffix', (p, s) => str(s, 'hasSuffix').endsWith(str(p, 'hasSuffix'))],
  ['replace', (o, n, s) => str(s, 'replace').split(str(o, 'replace')).join(str(n, 'replace'))],
  ['repeat', (c, s) => str(s, 'repeat').repeat(Math.max(0, int(c)))],
  ['nospace', (s) => str(s, 'nospace').replace(/\s+/g, '')],
  ['abbrev', (w, s) => abbrev(int(w), str(s, 'abbrev'))],
  [
    'initials',
    (s) =>
      str(s, 'initials')
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => [...w][0])
        .join(''),
  ],
  ['indent', (n, s) => indent(int(n), str(s, 'indent'))],
  ['nindent', (n, s) => `\n${indent(int(n), str(s, 'nindent'))}`],
  [
    'quote',
    (...a) =>
      a
        .filter((x) => x !== null && x !== undefined)
        .map((x) => goQuote(strval(x)))
        .join(' '),
  ],
  [
    'squote',
    (...a) =>
      a
        .filter((x) => x !== null && x !== undefined)
        .map((x) => `'${strval(x)}'`)
        .join(' '),
  ],
  [
    'cat',
    (...a) =>
      a
        .filter((x) => x !== null && x !== undefined)
        .map(strval)
        .join(' '),
  ],
  [
    'split',
    (sep, s) =>
      Object.fromEntries(
        str(s, 'split')
          .split(str(sep, 'split'))
          .map((p, i) => [`_${i}`, p]),
      ),
  ],
  ['splitList', (sep, s) => splitN(str(sep, 'splitList'), str(s, 'splitList'), -1)],
  [
    'splitn',
    (sep, n, s) =>
      Object.fromEntries(splitN(str(sep, 'splitn'), str(s, 'splitn'), int(n)).map((p, i) => [`_${i}`, p])),
  ],
  ['join', (sep, v) => join(str(sep, 'join'), v)],
  ['sortAlpha', (v) => list(v, 'sortAlpha').map(strval).sort()],
  [
    'snakecase',
    (s) =>
      words(str(s, 'snakecase'))
        .map((w) => w.toLowerCase())
        .join('_'),
  ],
  [
    'kebabcase',
    (s) =>
      words(str(s, 'kebabcase'))
        .map((w) => w.toLowerCase())
        .join('-'),
  ],
  [
    'camelcase',
    (s) =>
      str(s, 'camelcase')
        .split('_')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(''),
  ],
  [
    'swapcase',
    (s) =>
      [...str(s, 'swapcase')]
        .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
        .join(''),
  ],
  ['plural', (one, many, n) => (int(n) === 1 ? str(one, 'plural') : str(many, 'plural'))],
  ['wrap', (w, s) => wrap(str(s, 'wrap'), int(w))],
  ['toString', (v) => strval(v)],
  ['toStrings', (v) => (Array.isArray(v) ? v.map(strval) : v === null ? [] : [strval(v)])],
];

function wrap(s: string, width: number): string {
  const out: string[] = [];
  for (const line of s.split('\n')) {
    let cur = '';
    for (const w of line.split(' ')) {
      if (cur && cur.length + 1 + w.length > width) {
        out.push(cur);
        cur = w;
      } else cur = cur ? `${cur} ${w}` : w;
    }
    out.push(cur);
  }
  return out.join('\n');
}
