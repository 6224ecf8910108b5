import { RE2JS, RE2JSException } from 're2js';
import { FuncError } from '../template/errors.js';
import type { GoFunc } from '../template/value.js';
import { int, str } from './convert.js';

// Go's regexp is RE2: re2js compiles the same syntax with the same linear-time guarantee.
function compile(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (err) {
    const msg = err instanceof RE2JSException ? err.message : String(err);
    throw new FuncError(`error parsing regexp: ${msg}`);
  }
}

interface Match {
  readonly index: number;
  readonly groups: readonly (string | undefined)[];
  readonly named: Readonly<Record<string, string | undefined>>;
}

function matches(re: RE2JS, s: string, n: number): Match[] {
  const out: Match[] = [];
  const names = re.namedGroups();
  for (const m of re.matchAll(s)) {
    if (n >= 0 && out.length >= n) break;
    const named: Record<string, string | undefined> = {};
    for (const [k, i] of Object.entries(names)) named[k] = m[i];
    out.push({ index: m.index ?? 0, groups: [...m], named });
  }
  return out;
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; a name is the longest word. */
function expand(template: string, m: Match): string {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (all, _x, braced?: string, bare?: string) => {
      if (all === '$$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) return m.groups[Number(name)] ?? '';
      return m.named[name] ?? '';
    },
  );
}

function replaceAll(pattern: string, s: string, repl: (m: Match) => string): string {
  const re = compile(pattern);
  let out = '';
  let last = 0;
  for (const m of matches(re, s, -1)) {
    out += s.slice(last, m.index) + repl(m);
    last = m.index + (m.groups[0]?.length ?? 0);
  }
  return out + s.slice(last);
}

function split(pattern: string, s: string, n: number): string[] {
  if (n === 0) return [];
  const re = compile(pattern);
  if (pattern.length > 0 && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  for (const m of matches(re, s, -1)) {
    if (n > 0 && out.length === n - 1) break;
    const end = m.index;
    const len = m.groups[0]?.length ?? 0;
    if (len === 0 && end === 0) continue;
    out.push(s.slice(beg, end));
    beg = end + len;
  }
  out.push(s.slice(beg));
  return out;
}

export const REGEX_FUNCS: [string, GoFunc][] = [
  ['regexMatch', (r, s) => compile(str(r, 'regexMatch')).test(str(s, 'regexMatch'))],
  ['mustRegexMatch', (r, s) => compile(str(r, 'regexMatch')).test(str(s, 'regexMatch'))],
  ['regexFind', (r, s) => matches(compile(str(r, 'regexFind')), str(s, 'regexFind'), 1)[0]?.groups[0] ?? ''],
  [
    'mustRegexFind',
    (r, s) => matches(compile(str(r, 'regexFind')), str(s, 'regexFind'), 1)[0]?.groups[0] ?? '',
  ],
  [
    'regexFindAll',
    (r, s, n) =>
      matches(compile(str(r, 'regexFindAll')), str(s, 'regexFindAll'), int(n)).map((m) => m.groups[0] ?? ''),
  ],
  [
    'mustRegexFindAll',
    (r, s, n) =>
      matches(compile(str(r, 'regexFindAll')), str(s, 'regexFindAll'), int(n)).map((m) => m.groups[0] ?? ''),
  ],
  [
    'regexReplaceAll',
    (r, s, t) =>
      replaceAll(str(r, 'regexReplaceAll'), str(s, 'regexReplaceAll'), (m) =>
        expand(str(t, 'regexReplaceAll'), m),
      ),
  ],
  [
    'mustRegexReplaceAll',
    (r, s, t) =>
      replaceAll(str(r, 'regexReplaceAll'), str(s, 'regexReplaceAll'), (m) =>
        expand(str(t, 'regexReplaceAll'), m),
      ),
  ],
  [
    'regexReplaceAllLiteral',
    (r, s, t) =>
      replaceAll(str(r, 'regexReplaceAllLiteral'), str(s, 'regexReplaceAllLiteral'), () =>
        str(t, 'regexReplaceAllLiteral'),
      ),
  ],
  [
    'mustRegexReplaceAllLiteral',
    (r, s, t) =>
      replaceAll(str(r, 'regexReplaceAllLiteral'), str(s, 'regexReplaceAllLiteral'), () =>
        str(t, 'regexReplaceAllLiteral'),
      ),
  ],
  ['regexSplit', (r, s, n) => split(str(r, 'regexSplit'), str(s, 'regexSplit'), int(n))],
  ['mustRegexSplit', (r, s, n) => split(str(r, 'regexSplit'), str(s, 'regexSplit'), int(n))],
  ['regexQuoteMeta', (s) => str(s, 'regexQuoteMeta').replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')],
];
