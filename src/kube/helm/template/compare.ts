import { FuncError } from './errors.js';
import { type GoValue, isMap } from './value.js';

type Kind = 'invalid' | 'bool' | 'int' | 'float' | 'string' | 'other';

function basicKind(v: GoValue): Kind {
  if (v === null || v === undefined) return 'invalid';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    default:
      return 'other';
  }
}

const BAD = 'incompatible types for comparison';

/** Go's `eq arg1 arg2`: basic kinds compare by value; nil equals nil; maps and slices are errors. */
export function equal(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if (k1 !== 'invalid' && k2 !== 'invalid') throw new FuncError(BAD);
    if ((k1 === 'other' && !isNilable(a)) || (k2 === 'other' && !isNilable(b))) return false;
    return false;
  }
  if (k1 === 'invalid') return true;
  if (k1 === 'other') throw new FuncError('non-comparable types');
  return a === b;
}

function isNilable(v: GoValue): boolean {
  return Array.isArray(v) || isMap(v);
}

/** Go's `lt`/`le`/`gt`/`ge`: ints with ints, floats with floats, strings with strings. */
export function compare(op: 'lt' | 'le' | 'gt' | 'ge', a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  for (const k of [k1, k2])
    if (k === 'invalid' || k === 'other' || k === 'bool') throw new FuncError('invalid type for comparison');
  if (k1 !== k2) throw new FuncError(BAD);
  const x = a as bigint | number | string;
  const y = b as bigint | number | string;
  switch (op) {
    case 'lt':
      return x < y;
    case 'le':
      return x <= y;
    case 'gt':
      return x > y;
    case 'ge':
      return x >= y;
  }
}
