import { FuncError } from '../template/errors.js';
import type { GoFunc, GoValue } from '../template/value.js';
import { toFloat64, toInt64 } from './convert.js';

const bigMax = (a: bigint, b: bigint): bigint => (b > a ? b : a);
const bigMin = (a: bigint, b: bigint): bigint => (b < a ? b : a);
const wrap = (n: bigint) => BigInt.asIntN(64, n);

function reduce(name: string, op: (a: bigint, b: bigint) => bigint): GoFunc {
  return (...a: GoValue[]) => {
    if (a.length === 0) throw new FuncError(`wrong number of args for ${name}`);
    return a.slice(1).reduce<bigint>((acc, x) => wrap(op(acc, toInt64(x ?? null))), toInt64(a[0] ?? null));
  };
}

function round(v: GoValue, p: GoValue, r: GoValue = 0.5): number {
  const x = toFloat64(v ?? null);
  const pow = 10 ** Number(toInt64(p ?? null));
  const roundOn = toFloat64(r ?? null);
  const digit = x * pow;
  const div = digit - Math.trunc(digit);
  const rounded = div >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return rounded / pow;
}

function floats(name: string, op: (a: number, b: number) => number): GoFunc {
  return (...a: GoValue[]) => {
    if (a.length === 0) throw new FuncError(`wrong number of args for ${name}`);
    return a.slice(1).reduce<number>((acc, x) => op(acc, toFloat64(x ?? null)), toFloat64(a[0] ?? null));
  };
}

export const MATH_FUNCS: [string, GoFunc][] = [
  ['add', reduce('add', (a, b) => a + b)],
  ['add1', (a) => wrap(toInt64(a ?? null) + 1n)],
  ['sub', reduce('sub', (a, b) => a - b)],
  ['mul', reduce('mul', (a, b) => a * b)],
  [
    'div',
    reduce('div', (a, b) => {
      if (b === 0n) throw new FuncError('runtime error: integer divide by zero');
      return a / b;
    }),
  ],
  [
    'mod',
    reduce('mod', (a, b) => {
      if (b === 0n) throw new FuncError('runtime error: integer divide by zero');
      return a % b;
    }),
  ],
  ['max', reduce('max', bigMax)],
  ['biggest', reduce('biggest', bigMax)],
  ['min', reduce('min', bigMin)],
  ['addf', floats('addf', (a, b) => a + b)],
  ['add1f', (a) => toFloat64(a ?? null) + 1],
  ['subf', floats('subf', (a, b) => a - b)],
  ['mulf', floats('mulf', (a, b) => a * b)],
  ['divf', floats('divf', (a, b) => a / b)],
  ['maxf', floats('maxf', Math.max)],
  ['minf', floats('minf', Math.min)],
  ['floor', (a) => Math.floor(toFloat64(a ?? null))],
  ['ceil', (a) => Math.ceil(toFloat64(a ?? null))],
  ['round', (v, p, r) => round(v ?? null, p ?? null, r ?? 0.5)],
  ['int', (a) => wrap(toInt64(a ?? null))],
  ['int64', (a) => wrap(toInt64(a ?? null))],
  ['float64', (a) => toFloat64(a ?? null)],
  [
    'atoi',
    (a) => {
      const s = typeof a === 'string' ? a : '';
      return /^[+-]?\d+$/.test(s) ? wrap(BigInt(s)) : 0n;
    },
  ],
  [
    'toDecimal',
    (a) => {
      const s = typeof a === 'string' ? a : String(a);
      return /^[+-]?[0-7]+$/.test(s)
        ? BigInt(`0o${s.replace(/^[+-]/, '')}`) * (s.startsWith('-') ? -1n : 1n)
        : 0n;
    },
  ],
];
