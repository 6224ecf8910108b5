import { FuncError } from '../template/errors.js';
import { formatValue, type GoMap, type GoValue, isMap, typeName } from '../template/value.js';

/** sprig's strval: strings as they are, bytes decoded, anything else as `%v` prints it. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return formatValue(v);
}

/** A `string` parameter: Go rejects any other type, nil included. */
export function str(v: GoValue, fn: string): string {
  if (typeof v === 'string') return v;
  throw new FuncError(
    `wrong type for value; expected string; got ${v === null || v === undefined ? 'interface {}' : typeName(v)}` +
      (fn ? '' : ''),
  );
}

/** An `int` parameter: integers, and integral float64s (lenient where Go is strict). */
export function int(v: GoValue): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new FuncError(
    `wrong type for value; expected int; got ${v === null || v === undefined ? 'interface {}' : typeName(v)}`,
  );
}

/** A `bool` parameter. */
export function bool(v: GoValue): boolean {
  if (typeof v === 'boolean') return v;
  throw new FuncError(`wrong type for value; expected bool; got ${typeName(v)}`);
}

/** A `map[string]interface{}` parameter. */
export function dict(v: GoValue): GoMap {
  if (isMap(v)) return v;
  throw new FuncError(
    `wrong type for value; expected map[string]interface {}; got ${v === null || v === undefined ? 'interface {}' : typeName(v)}`,
  );
}

/** spf13/cast's ToInt64 as sprig uses it: strings parsed, floats truncated, failures 0. */
export function toInt64(v: GoValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    const s = v.replace(/\.0*$/, '');
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/.exec(s.replace(/_/g, ''));
    if (!m) return 0n;
    let body = m[2]!;
    if (/^0[0-7]/.test(body)) body = `0o${body.slice(1)}`;
    const n = BigInt(body);
    return m[1] === '-' ? -n : n;
  }
  return 0n;
}

/** spf13/cast's ToFloat64: numbers, parsed strings, bools; failures 0. */
export function toFloat64(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : 0;
  }
  return 0;
}

/** A list argument: slices and arrays (sprig errors on anything else). */
export function list(v: GoValue, fn: string): GoValue[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, (b) => BigInt(b));
  throw new FuncError(`Cannot ${fn} on type ${typeName(v)}`);
}

/** sprig's `empty`: nil, zero numbers, false, "", and empty collections. */
export function empty(v: GoValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'bigint') return v === 0n;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}
