import { AuditError } from '../errors.js';

export type Token =
  | { readonly t: 'lparen' | 'rparen' | 'comma' | 'end'; readonly at: number }
  | { readonly t: 'op'; readonly v: string; readonly at: number }
  | { readonly t: 'str'; readonly v: string; readonly at: number }
  | { readonly t: 'word'; readonly v: string; readonly at: number };

const SYMBOL_OPS = ['==', '!=', '<=', '>=', '=', '<', '>'];
/** Bare words run until whitespace, a parenthesis, a comma, a quote or a comparison symbol. */
const WORD_END = /[\s(),"'=<>!]/;

/** Splits a condition into tokens; a field's `[argument]` stays part of its word. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', at: i });
      i++;
    } else if (c === '"' || c === "'") {
      const [v, next] = quoted(src, i);
      out.push({ t: 'str', v, at: i });
      i = next;
    } else {
      const sym = SYMBOL_OPS.find((s) => src.startsWith(s, i));
      if (sym) {
        out.push({ t: 'op', v: sym, at: i });
        i += sym.length;
      } else {
        const start = i;
        while (i < src.length && !WORD_END.test(src[i] as string)) {
          if (src[i] === '[') i = bracketEnd(src, i);
          else i++;
        }
        if (i === start) throw new AuditError('INVALID_CONDITION', `unexpected "${c}" at offset ${i}`);
        out.push({ t: 'word', v: src.slice(start, i), at: start });
      }
    }
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

function quoted(src: string, start: number): [string, number] {
  const q = src[start];
  let v = '';
  let i = start + 1;
  while (i < src.length && src[i] !== q) {
    if (src[i] === '\\' && i + 1 < src.length) {
      const n = src[i + 1] as string;
      v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      i += 2;
    } else {
      v += src[i];
      i++;
    }
  }
  if (i >= src.length) throw new AuditError('INVALID_CONDITION', `unterminated string at offset ${start}`);
  return [v, i + 1];
}

function bracketEnd(src: string, open: number): number {
  const close = src.indexOf(']', open);
  if (close === -1) throw new AuditError('INVALID_CONDITION', `unterminated "[" at offset ${open}`);
  return close + 1;
}
