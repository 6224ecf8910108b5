import { FuncError } from '../template/errors.js';
import { deepCopy, type GoFunc, type GoMap, type GoValue, isMap } from '../template/value.js';
import { dict, str, strval } from './convert.js';

/** mergo.Merge as sprig uses it: fill keys `dst` lacks (or holds empty), recursing into maps. */
export function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): GoMap {
  for (const [k, v] of Object.entries(src)) {
    const d = dst[k];
    if (isMap(d) && isMap(v)) mergeInto(d, v, overwrite);
    else if (!Object.hasOwn(dst, k) || d === null || d === undefined) dst[k] = deepCopy(v);
    else if (overwrite && !(v === null || isEmptyValue(v))) dst[k] = deepCopy(v);
    else if (!overwrite && isEmptyValue(d) && !isMap(d)) dst[k] = deepCopy(v);
  }
  return dst;
}

function isEmptyValue(v: GoValue): boolean {
  return v === '' || v === 0 || v === 0n || v === false || (Array.isArray(v) && v.length === 0);
}

function makeDict(...a: GoValue[]): GoMap {
  const out: GoMap = {};
  for (let i = 0; i < a.length; i += 2)
    out[strval(a[i] ?? null)] = i + 1 < a.length ? (a[i + 1] ?? null) : '';
  return out;
}

function dig(...a: GoValue[]): GoValue {
  if (a.length < 3) throw new FuncError(`dig needs at least three arguments`);
  const m = dict(a[a.length - 1]!);
  const def = a[a.length - 2]!;
  let cur: GoValue = m;
  for (const k of a.slice(0, -2)) {
    if (!isMap(cur) || !Object.hasOwn(cur, str(k, 'dig'))) return def;
    cur = cur[k as string] ?? null;
  }
  return cur;
}

export const DICT_FUNCS: [string, GoFunc][] = [
  ['dict', makeDict],
  [
    'get',
    (d, k) => {
      const m = dict(d!);
      const key = str(k, 'get');
      return Object.hasOwn(m, key) ? (m[key] ?? null) : '';
    },
  ],
  [
    'set',
    (d, k, v) => {
      const m = dict(d!);
      m[str(k, 'set')] = v ?? null;
      return m;
    },
  ],
  [
    'unset',
    (d, k) => {
      const m = dict(d!);
      delete m[str(k, 'unset')];
      return m;
    },
  ],
  ['hasKey', (d, k) => Object.hasOwn(dict(d!), str(k, 'hasKey'))],
  [
    'pluck',
    (k, ...ds) => {
      const key = str(k, 'pluck');
      return ds
        .map((d) => dict(d!))
        .filter((m) => Object.hasOwn(m, key))
        .map((m) => m[key] ?? null);
    },
  ],
  ['keys', (...ds) => ds.flatMap((d) => Object.keys(dict(d!)))],
  ['values', (d) => Object.values(dict(d!)).map((v) => v ?? null)],
  [
    'pick',
    (d, ...ks) => {
      const m = dict(d!);
      const out: GoMap = {};
      for (const k of ks) if (Object.hasOwn(m, str(k, 'pick'))) out[k as string] = m[k as string] ?? null;
      return out;
    },
  ],
  [
    'omit',
    (d, ...ks) => {
      const drop = new Set(ks.map((k) => str(k, 'omit')));
      return Object.fromEntries(Object.entries(dict(d!)).filter(([k]) => !drop.has(k)));
    },
  ],
  ['merge', (d, ...srcs) => srcs.reduce<GoMap>((acc, s) => mergeInto(acc, dict(s!), false), dict(d!))],
  ['mustMerge', (d, ...srcs) => srcs.reduce<GoMap>((acc, s) => mergeInto(acc, dict(s!), false), dict(d!))],
  [
    'mergeOverwrite',
    (d, ...srcs) => srcs.reduce<GoMap>((acc, s) => mergeInto(acc, dict(s!), true), dict(d!)),
  ],
  [
    'mustMergeOverwrite',
    (d, ...srcs) => srcs.reduce<GoMap>((acc, s) => mergeInto(acc, dict(s!), true), dict(d!)),
  ],
  ['deepCopy', (v) => deepCopy(v ?? null)],
  ['mustDeepCopy', (v) => deepCopy(v ?? null)],
  ['dig', dig],
];
