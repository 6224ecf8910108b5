import { decimal, formatFloat, formatValue, type GoValue, isMap, typeName } from './value.js';

/** strconv.Quote: a double-quoted Go string literal with Go's escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else if (!isPrintable(c))
      out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function isPrintable(c: number): boolean {
  if (c >= 0x80 && c < 0xa0) return false;
  if (c === 0xad || c === 0x2028 || c === 0x2029 || (c >= 0x200b && c <= 0x200f) || c === 0xfeff)
    return false;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return !/\p{Cc}|\p{Cs}|\p{Co}|\p{Cn}/u.test(String.fromCodePoint(c));
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  zero: boolean;
  space: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || s.length >= spec.width) return s;
  const fill = spec.width - [...s].length;
  if (fill <= 0) return s;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

function bad(verb: string, v: GoValue): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatValue(v)})`;
}

function signed(s: string, spec: Spec): string {
  if (s.startsWith('-')) return s;
  if (spec.plus) return `+${s}`;
  if (spec.space) return ` ${s}`;
  return s;
}

function fixed(f: number, prec: number): string {
  if (!Number.isFinite(f)) return formatFloat(f);
  if (Math.abs(f) >= 1e21) {
    const whole = BigInt(Math.trunc(f)).toString();
    return prec > 0 ? `${whole}.${'0'.repeat(prec)}` : whole;
  }
  return f.toFixed(Math.min(prec, 100));
}

function expo(f: number, prec: number | undefined, upper: boolean): string {
  if (!Number.isFinite(f)) return formatFloat(f);
  const [m, e] = (prec === undefined ? f.toExponential() : f.toExponential(Math.min(prec, 100))).split(
    'e',
  ) as [string, string];
  const n = Number(e);
  const s = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  return upper ? s.toUpperCase() : s;
}

function general(f: number, prec: number | undefined): string {
  if (prec === undefined) return formatFloat(f);
  if (!Number.isFinite(f)) return formatFloat(f);
  const p = prec === 0 ? 1 : prec;
  const [, e] = f.toExponential(p - 1).split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= p) return expo(f, p - 1, false).replace(/\.?0+e/, 'e');
  return decimal(Number(f.toPrecision(p)));
}

function one(verb: string, v: GoValue, spec: Spec): string {
  switch (verb) {
    case 'v':
      if (typeof v === 'number' || typeof v === 'bigint')
        return pad(signed(formatValue(v), spec), spec, true);
      return pad(formatValue(v), spec, false);
    case 's':
      if (typeof v === 'string')
        return pad(spec.prec === undefined ? v : [...v].slice(0, spec.prec).join(''), spec, false);
      if (v instanceof Uint8Array) return pad(Buffer.from(v).toString('utf8'), spec, false);
      if (Array.isArray(v)) return pad(`[${v.map((x) => one('s', x, blank())).join(' ')}]`, spec, false);
      if (isMap(v))
        return pad(
          `map[${Object.keys(v)
            .sort()
            .map((k) => `${k}:${one('s', v[k] ?? null, blank())}`)
            .join(' ')}]`,
          spec,
          false,
        );
      return bad(verb, v);
    case 'q':
      if (typeof v === 'string') return pad(goQuote(v), spec, false);
      if (typeof v === 'bigint') return pad(`'${String.fromCodePoint(Number(v))}'`, spec, false);
      return bad(verb, v);
    case 'd':
      if (typeof v === 'bigint') return pad(signed(v.toString(), spec), spec, true);
      return bad(verb, v);
    case 't':
      if (typeof v === 'boolean') return pad(String(v), spec, false);
      return bad(verb, v);
    case 'f':
    case 'F':
      if (typeof v === 'number') return pad(signed(fixed(v, spec.prec ?? 6), spec), spec, true);
      return bad(verb, v);
    case 'e':
    case 'E':
      if (typeof v === 'number') return pad(signed(expo(v, spec.prec ?? 6, verb === 'E'), spec), spec, true);
      return bad(verb, v);
    case 'g':
    case 'G':
      if (typeof v === 'number') return pad(signed(general(v, spec.prec), spec), spec, true);
      return bad(verb, v);
    case 'x':
    case 'X': {
      let s: string;
      if (typeof v === 'bigint') s = (v < 0n ? '-' : '') + (v < 0n ? -v : v).toString(16);
      else if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
      else if (v instanceof Uint8Array) s = Buffer.from(v).toString('hex');
      else return bad(verb, v);
      if (spec.sharp) s = s.startsWith('-') ? `-0x${s.slice(1)}` : `0x${s}`;
      return pad(verb === 'X' ? s.toUpperCase() : s, spec, typeof v === 'bigint');
    }
    case 'o':
    case 'b':
      if (typeof v === 'bigint') return pad(v.toString(verb === 'o' ? 8 : 2), spec, true);
      return bad(verb, v);
    case 'c':
      if (typeof v === 'bigint') return pad(String.fromCodePoint(Number(v)), spec, false);
      return bad(verb, v);
    case 'T':
      return pad(typeName(v), spec, false);
    default:
      return `%!${verb}(${v === null || v === undefined ? '<nil>' : `${typeName(v)}=${formatValue(v)}`})`;
  }
}

function blank(): Spec {
  return {
    minus: false,
    plus: false,
    sharp: false,
    zero: false,
    space: false,
    width: undefined,
    prec: undefined,
  };
}

/** Go's fmt.Sprintf for the verbs templates use (`%s %d %v %q %t %f %x`...), with Go's error forms. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec = blank();
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === '0') spec.zero = true;
      else if (f === ' ') spec.space = true;
      else break;
    }
    const w = /^\d+/.exec(format.slice(i));
    if (w) {
      spec.width = Number(w[0]);
      i += w[0].length;
    }
    if (format[i] === '.') {
      i++;
      const p = /^\d*/.exec(format.slice(i))![0];
      spec.prec = Number(p || '0');
      i += p.length;
    }
    const verb = format[i];
    i++;
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += one(verb, args[argi++]!, spec);
  }
  if (argi < args.length)
    out += `%!(EXTRA ${args
      .slice(argi)
      .map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatValue(a)}`))
      .join(', ')})`;
  return out;
}

/** fmt.Sprint: operands joined, with a space between two operands when neither is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** fmt.Sprintln: operands always separated by spaces, and a newline. */
export function sprintln(args: readonly GoValue[]): string {
  return `${args.map((a) => formatValue(a)).join(' ')}\n`;
}
