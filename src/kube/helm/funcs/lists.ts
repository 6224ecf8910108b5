import { FuncError } from '../template/errors.js';
import { type GoFunc, type GoValue, isMap, kindName } from '../template/value.js';
import { empty, int, list, toInt64 } from './convert.js';

/** reflect.DeepEqual on plain data. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]!));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k]!, b[k]!))
    );
  }
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return a === b;
}

function has(needle: GoValue, hay: GoValue): boolean {
  if (hay === null || hay === undefined) return false;
  return list(hay, 'has').some((x) => deepEqual(x, needle));
}

function uniq(v: GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const x of v) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

const MAX_RANGE = 1_000_000;

function untilStep(start: number, stop: number, step: number): GoValue[] {
  const out: bigint[] = [];
  if (step === 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop)) return out;
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    if (out.length >= MAX_RANGE) throw new FuncError(`a list of more than ${MAX_RANGE} items`);
    out.push(BigInt(i));
  }
  return out;
}

function seq(...a: GoValue[]): string {
  const n = a.map(int);
  const [start, step, end] =
    n.length === 1
      ? [1, 1, n[0]!]
      : n.length === 2
        ? [n[0]!, n[0]! <= n[1]! ? 1 : -1, n[1]!]
        : [n[0]!, n[1]!, n[2]!];
  if (n.length === 0 || n.length > 3) return '';
  const items = untilStep(start, end + (step > 0 ? 1 : -1), step);
  return items.join(' ');
}

function listFn(name: string, fn: (l: GoValue[], ...rest: GoValue[]) => GoValue): GoFunc {
  return (v, ...rest) => fn(list(v ?? null, name), ...rest);
}

export const LIST_FUNCS: [string, GoFunc][] = [
  ['list', (...a) => [...a]],
  ['tuple', (...a) => [...a]],
  ['first', listFn('first', (l) => l[0] ?? null)],
  ['last', listFn('last', (l) => l[l.length - 1] ?? null)],
  ['rest', listFn('rest', (l) => l.slice(1))],
  ['initial', listFn('initial', (l) => l.slice(0, -1))],
  ['append', listFn('append', (l, x) => [...l, x ?? null])],
  ['push', listFn('push', (l, x) => [...l, x ?? null])],
  ['mustAppend', listFn('append', (l, x) => [...l, x ?? null])],
  ['prepend', listFn('prepend', (l, x) => [x ?? null, ...l])],
  ['mustPrepend', listFn('prepend', (l, x) => [x ?? null, ...l])],
  ['concat', (...ls) => ls.flatMap((l) => list(l, 'concat'))],
  ['reverse', listFn('reverse', (l) => [...l].reverse())],
  ['uniq', listFn('uniq', (l) => uniq(l))],
  ['without', listFn('without', (l, ...drop) => l.filter((x) => !drop.some((d) => deepEqual(x, d))))],
  ['has', (needle, hay) => has(needle ?? null, hay ?? null)],
  ['mustHas', (needle, hay) => has(needle ?? null, hay ?? null)],
  ['compact', listFn('compact', (l) => l.filter((x) => !empty(x)))],
  [
    'chunk',
    (size, v) => {
      const l = list(v ?? null, 'chunk');
      const n = int(size);
      const out: GoValue[] = [];
      for (let i = 0; i < l.length; i += n) out.push(l.slice(i, i + n));
      return out;
    },
  ],
  // Sprig's slice replaces text/template's: lists only, integer-converted indexes
  [
    'slice',
    (v, ...idx) => {
      if (!Array.isArray(v))
        throw new FuncError(`list should be type of slice or array but ${kindName(v ?? null)}`);
      if (v.length === 0) return null;
      const start = idx.length > 0 ? Number(toInt64(idx[0] ?? null)) : 0;
      const end = idx.length > 1 ? Number(toInt64(idx[1] ?? null)) : v.length;
      if (start < 0 || end > v.length || start > end)
        throw new FuncError(`slice bounds out of range [${start}:${end}]`);
      return v.slice(start, end);
    },
  ],
  ['until', (n) => untilStep(0, int(n), int(n) >= 0 ? 1 : -1)],
  ['untilStep', (a, b, c) => untilStep(int(a), int(b), int(c))],
  ['seq', seq],
  ['deepEqual', (a, b) => deepEqual(a ?? null, b ?? null)],
];
