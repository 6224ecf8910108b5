import { compare, equal } from './compare.js';
import { FuncError } from './errors.js';
import { goQuote, sprint, sprintf, sprintln } from './fmt.js';
import { type GoFunc, GoObject, type GoValue, isMap, truth, typeName } from './value.js';

/** The arguments, after checking there are exactly `n` of them. */
function want(name: string, args: GoValue[], n: number): GoValue[] {
  if (args.length !== n)
    throw new FuncError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
  return args;
}

/** The arguments, after checking there are at least `n` of them. */
function atLeast(name: string, args: GoValue[], n: number): GoValue[] {
  if (args.length < n)
    throw new FuncError(`wrong number of args for ${name}: want at least ${n} got ${args.length}`);
  return args;
}

function indexOf(v: GoValue, len: number): number {
  if (v === null || v === undefined) throw new FuncError('cannot index slice/array with nil');
  if (typeof v !== 'bigint') throw new FuncError(`cannot index slice/array with type ${typeName(v)}`);
  if (v < 0n || v > BigInt(len)) throw new FuncError(`index out of range: ${v}`);
  return Number(v);
}

function index(item: GoValue, ...keys: GoValue[]): GoValue {
  let v = item;
  if (v === null || v === undefined) throw new FuncError('index of untyped nil');
  for (const key of keys) {
    if (typeof v === 'string' || v instanceof Uint8Array || Array.isArray(v)) {
      const i = indexOf(key, v.length);
      if (i === v.length) throw new FuncError(`index out of range: ${i}`);
      v =
        typeof v === 'string' ? BigInt(Buffer.from(v)[i]!) : v instanceof Uint8Array ? BigInt(v[i]!) : v[i]!;
    } else if (isMap(v)) {
      if (typeof key !== 'string') throw new FuncError(`value has type ${typeName(key)}; should be string`);
      v = Object.hasOwn(v, key) ? (v[key] ?? null) : null;
    } else if (v === null) {
      throw new FuncError('index of untyped nil');
    } else {
      throw new FuncError(`can't index item of type ${typeName(v)}`);
    }
  }
  return v ?? null;
}

function slice(item: GoValue, ...idx: GoValue[]): GoValue {
  if (item === null || item === undefined) throw new FuncError('slice of untyped nil');
  if (idx.length > 3) throw new FuncError(`too many slice indexes: ${idx.length}`);
  if (typeof item !== 'string' && !Array.isArray(item) && !(item instanceof Uint8Array))
    throw new FuncError(`can't slice item of type ${typeName(item)}`);
  if (typeof item === 'string' && idx.length === 3) throw new FuncError('cannot 3-index slice a string');
  const len = typeof item === 'string' ? Buffer.byteLength(item) : item.length;
  const [i = 0, j = len] = idx.slice(0, 2).map((x) => indexOf(x, len));
  if (i > j) throw new FuncError(`invalid slice index: ${i} > ${j}`);
  if (typeof item === 'string') return Buffer.from(item).subarray(i, j).toString('utf8');
  return item.slice(i, j);
}

function len(item: GoValue): GoValue {
  if (item === null || item === undefined) throw new FuncError('len of nil pointer');
  if (typeof item === 'string') return BigInt(Buffer.byteLength(item));
  if (Array.isArray(item) || item instanceof Uint8Array) return BigInt(item.length);
  if (isMap(item)) return BigInt(Object.keys(item).length);
  throw new FuncError(`len of type ${typeName(item)}`);
}

function eq(...args: GoValue[]): GoValue {
  atLeast('eq', args, 2);
  const [first, ...rest] = args;
  return rest.some((x) => equal(first!, x));
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) =>
    c === '\0' ? '\uFFFD' : { '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;' }[c]!,
  );
}

function jsEscape(s: string): string {
  return s.replace(/[\\'"<>&=\n\r\t\x00-\x1f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case "'":
        return "\\'";
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    }
  });
}

/** text/template's predefined functions (`and`/`or` are evaluated lazily by the executor). */
export const BUILTINS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ['and', () => null],
  ['or', () => null],
  [
    'not',
    (...a) => {
      want('not', a, 1);
      return !truth(a[0]);
    },
  ],
  ['len', (...a) => len(want('len', a, 1)[0]!)],
  ['index', (...a) => index(atLeast('index', a, 1)[0]!, ...a.slice(1))],
  ['slice', (...a) => slice(atLeast('slice', a, 1)[0]!, ...a.slice(1))],
  ['print', (...a) => sprint(a)],
  ['println', (...a) => sprintln(a)],
  [
    'printf',
    (...a) => {
      atLeast('printf', a, 1);
      if (typeof a[0] !== 'string')
        throw new FuncError(`wrong type for value; expected string; got ${typeName(a[0])}`);
      return sprintf(a[0], a.slice(1));
    },
  ],
  ['html', (...a) => htmlEscape(sprint(a))],
  ['js', (...a) => jsEscape(sprint(a))],
  ['urlquery', (...a) => encodeURIComponent(sprint(a)).replace(/%20/g, '+')],
  ['eq', eq],
  ['ne', (...a) => !equal(want('ne', a, 2)[0]!, a[1]!)],
  ['lt', (...a) => compare('lt', want('lt', a, 2)[0]!, a[1]!)],
  ['le', (...a) => compare('le', want('le', a, 2)[0]!, a[1]!)],
  ['gt', (...a) => compare('gt', want('gt', a, 2)[0]!, a[1]!)],
  ['ge', (...a) => compare('ge', want('ge', a, 2)[0]!, a[1]!)],
  [
    'call',
    () => {
      throw new FuncError('call: no function values in Helm data');
    },
  ],
]);

export { GoObject, goQuote };
