/**
 * Go values as templates see them. Helm's values are `map[string]interface{}` read through
 * JSON, so: nil is `null`, numbers from values are float64 (`number`), integers made by the
 * template (literals, `len`, `add`, `--set` integers) are int64 (`bigint`), maps are plain
 * objects, slices are arrays. Structs with methods (`.Chart`, `.Files`) are `GoObject`s.
 * `undefined` is Go's invalid reflect.Value (what a nil pipeline result becomes).
 */
export type GoValue =
  | null
  | undefined
  | boolean
  | string
  | number
  | bigint
  | Uint8Array
  | GoValue[]
  | GoMap
  | GoObject;

export interface GoMap {
  [key: string]: GoValue;
}

export type GoFunc = (...args: GoValue[]) => GoValue;

/** A Go struct with fields and methods (`.Release`, `.Chart`, `.Files`, `.Capabilities`). */
export abstract class GoObject {
  /** the Go type name, as error messages and `typeOf` show it */
  abstract readonly typeName: string;
  /** the exported field, or undefined when there is none */
  abstract field(name: string): GoValue | undefined;
  /** the method, or undefined when there is none */
  method(_name: string): GoFunc | undefined {
    return undefined;
  }
  /** what `range` iterates (key, value) when the object is a Go map or slice; undefined if neither */
  entries(): [GoValue, GoValue][] | undefined {
    return undefined;
  }
}

export function isMap(v: GoValue): v is GoMap {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) return false;
  return !(v instanceof GoObject);
}

/** Go's `%T`-like name, as sprig's `typeOf` prints it. */
export function typeName(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  // literals, len and range indexes are Go `int` (Sprig's math returns int64, shown as int here too)
  if (typeof v === 'bigint') return 'int';
  if (v instanceof Uint8Array) return '[]uint8';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoObject) return v.typeName;
  return 'map[string]interface {}';
}

/** sprig's `kindOf`: the reflect.Kind name. */
export function kindName(v: GoValue): string {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof Uint8Array || Array.isArray(v)) return 'slice';
  if (v instanceof GoObject) return 'ptr';
  return 'map';
}

/** text/template's truth: empty strings, zero numbers, nil and empty collections are false. */
export function truth(v: GoValue): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length > 0;
  if (v instanceof GoObject) return true;
  return Object.keys(v).length > 0;
}

/** Go's strconv 'g' with the shortest precision, which is what `%v` prints for a float64. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mant}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return decimal(f);
}

/** A float64 in plain decimal, never in exponent form. */
export function decimal(f: number): string {
  const s = String(f);
  if (!/e/i.test(s)) return s;
  // String() uses exponents below 1e-6; expand them
  const [mant, expText] = s.split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace(/[-.]/g, '');
  const point = (mant.replace('-', '').indexOf('.') + 1 || mant.replace('-', '').length + 1) - 1 + exp;
  const out =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (neg ? '-' : '') + out;
}

/** `fmt.Sprint(v)` for one value (`%v`): maps as `map[k:v]` with sorted keys, slices as `[a b]`. */
export function formatValue(v: GoValue, nilText = '<nil>'): string {
  if (v === null || v === undefined) return nilText;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return formatFloat(v);
  if (v instanceof Uint8Array) return `[${Array.from(v).join(' ')}]`;
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x)).join(' ')}]`;
  if (v instanceof GoObject) return `{${v.typeName}}`;
  const keys = Object.keys(v).sort();
  return `map[${keys.map((k) => `${k}:${formatValue(v[k] ?? null)}`).join(' ')}]`;
}

/** How `{{ x }}` prints a pipeline's value (nil is `<no value>`, which Helm then removes). */
export function printValue(v: GoValue): string {
  return formatValue(v, '<no value>');
}

/** A deep copy of plain data (maps and slices), leaving scalars and objects shared. */
export function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isMap(v)) {
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
    return out;
  }
  return v;
}
