import { HelmError } from './errors.js';
import type { GoMap, GoValue } from './template/index.js';
import { isMap } from './template/index.js';

const MAX_INDEX = 65536;

/** Helm's typed --set value: true/false/null, integers (not `0`-led) as int64, else a string. */
function typed(v: string): GoValue {
  const lower = v.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (v === '0') return 0n;
  if (v !== '' && v[0] !== '0' && /^[+-]?\d+$/.test(v)) {
    const n = BigInt(v);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  }
  return v;
}

interface Cursor {
  readonly s: string;
  i: number;
}

/** Reads up to one of `stops` (unescaped), returning the text and the stop character ('' at end). */
function readUntil(c: Cursor, stops: string, keepEscapes = false): { text: string; stop: string } {
  let text = '';
  while (c.i < c.s.length) {
    const ch = c.s[c.i++]!;
    if (ch === '\\' && c.i < c.s.length) {
      text += (keepEscapes ? '\\' : '') + c.s[c.i++]!;
      continue;
    }
    if (stops.includes(ch)) return { text, stop: ch };
    text += ch;
  }
  return { text, stop: '' };
}

type Segment = { readonly key: string } | { readonly index: number };

function parseKey(raw: string, expr: string): Segment[] {
  const segs: Segment[] = [];
  const c: Cursor = { s: raw, i: 0 };
  for (;;) {
    const { text, stop } = readUntil(c, '.[');
    if (text !== '') segs.push({ key: text });
    else if (stop !== '[' || segs.length === 0) {
      if (stop !== '' || segs.length === 0)
        throw new HelmError('SET_INVALID', `--helm-set ${expr}: key has an empty part`);
    }
    if (stop === '') return segs;
    if (stop === '[') {
      const close = raw.indexOf(']', c.i);
      const n = Number(raw.slice(c.i, close));
      if (close < 0 || !/^\d+$/.test(raw.slice(c.i, close)) || n > MAX_INDEX)
        throw new HelmError('SET_INVALID', `--helm-set ${expr}: bad list index in ${JSON.stringify(raw)}`);
      segs.push({ index: n });
      c.i = close + 1;
      if (raw[c.i] === '.') c.i++;
      else if (c.i < raw.length && raw[c.i] !== '[')
        throw new HelmError(
          'SET_INVALID',
          `--helm-set ${expr}: unexpected text after ] in ${JSON.stringify(raw)}`,
        );
      if (c.i >= raw.length) return segs;
    }
  }
}

function assign(root: GoMap, segs: Segment[], value: GoValue): void {
  let cur: GoMap | GoValue[] = root;
  segs.forEach((seg, n) => {
    const last = n === segs.length - 1;
    const next = segs[n + 1];
    const fresh = (): GoMap | GoValue[] => (next && 'index' in next ? [] : {});
    if ('key' in seg) {
      if (Array.isArray(cur)) throw new HelmError('SET_INVALID', `--helm-set: ${seg.key} is not a list`);
      if (last) cur[seg.key] = value;
      else {
        const existing: GoValue = cur[seg.key] ?? null;
        const child = (next && 'index' in next ? Array.isArray(existing) : isMap(existing))
          ? existing
          : fresh();
        cur[seg.key] = child as GoValue;
        cur = child as GoMap | GoValue[];
      }
    } else {
      if (!Array.isArray(cur))
        throw new HelmError('SET_INVALID', '--helm-set: index on a value that is not a list');
      while (cur.length <= seg.index) cur.push(null);
      if (last) cur[seg.index] = value;
      else {
        const existing: GoValue = cur[seg.index] ?? null;
        const child = (next && 'index' in next ? Array.isArray(existing) : isMap(existing))
          ? existing
          : fresh();
        cur[seg.index] = child as GoValue;
        cur = child as GoMap | GoValue[];
      }
    }
  });
}

/**
 * Applies one `--helm-set` expression (`a.b=c,d[0]=e,f={x,y}`) to `into`, as `helm --set` does:
 * dotted keys, list indexes, `{a,b}` lists, `\` escapes, and typed values (bools, null, int64).
 */
export function applySet(expr: string, into: GoMap, asString = false): void {
  const c: Cursor = { s: expr, i: 0 };
  while (c.i < expr.length) {
    const { text: key, stop } = readUntil(c, '=,', true);
    if (stop !== '=') {
      if (key === '' && stop === ',') continue;
      throw new HelmError('SET_INVALID', `--helm-set ${expr}: key "${key}" has no value (use key=value)`);
    }
    const segs = parseKey(key, expr);
    let value: GoValue;
    if (expr[c.i] === '{') {
      c.i++;
      const items: GoValue[] = [];
      for (;;) {
        const { text, stop: s2 } = readUntil(c, ',}');
        if (s2 === '') throw new HelmError('SET_INVALID', `--helm-set ${expr}: list not closed with }`);
        if (text !== '' || s2 === ',' || items.length > 0) items.push(asString ? text : typed(text));
        if (s2 === '}') break;
      }
      value = items;
      if (expr[c.i] === ',') c.i++;
    } else {
      const { text } = readUntil(c, ',');
      value = asString ? text : typed(text);
    }
    assign(into, segs, value);
  }
}
