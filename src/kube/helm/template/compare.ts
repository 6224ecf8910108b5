import { FuncError } from './errors.js';
import type { GoValue } from './value.js';

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

/**
 * `eq arg1 arg2`: basic kinds compare by value; nil equals nil; values of different kinds are
 * unequal (helm 3.21's Go, measured: `eq 2.0 1` is false, not an error); maps and slices are errors.
 */
export function equal(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) return false;
  if (k1 === 'invalid') return true;
  if (k1 === 'other') throw new FuncError('non-comparable types');
  return a === b;
}

/** Go's `lt`/`le`/`gt`/`ge`: ints with ints, floats with floats, strings with strings. */
export function compare(op: 'lt' | 'le' | 'gt' | 'ge', a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  // an int against a float64 is "invalid type" in helm 3.21's Go (measured), not "incompatible"
  for (const k of [k1, k2])
    if (k === 'invalid' || k === 'other' || k === 'bool' || k1 !== k2)
      throw new FuncError('invalid type for comparison');
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
