import { TemplateError } from './errors.js';

export type TokenKind =
  | 'text'
  | 'open' // {{
  | 'close' // }}
  | 'space'
  | 'ident' // function name or keyword
  | 'field' // .Name
  | 'var' // $x or $
  | 'string' // quoted or raw, value unescaped
  | 'char'
  | 'number'
  | 'dot'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare' // :=
  | 'assign' // =
  | 'comma'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** the source text (for `string`/`char`, the decoded value) */
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

const SPACE = /[ \t\r\n]/;
const TRIM_WS = /[ \t\r\n]+$/;
const LEAD_WS = /^[ \t\r\n]+/;

/** Decodes a Go interpreted string literal's body (after the quotes are removed). */
function unquote(body: string, fail: (msg: string) => never): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case '\\':
      case '"':
      case "'":
        return e;
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
      default:
        if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
        return fail(`invalid syntax: unknown escape \\${e}`);
    }
  });
}

/**
 * Splits a Go template into tokens, as text/template's lexer does: text between actions, and
 * inside `{{ }}` the words of pipelines. Trim markers (`{{- `, ` -}}`) remove the adjacent white
 * space from the text here; comments (`{{/* *\/}}`) produce nothing.
 */
export function lex(src: string, name: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let trimNext = false;
  const at = (p: number) => {
    // line/col of an offset at or after `lineStart`
    let l = line;
    let ls = lineStart;
    for (let i = lineStart; i < p; i++)
      if (src.charCodeAt(i) === 10) {
        l++;
        ls = i + 1;
      }
    return { line: l, col: p - ls + 1 };
  };
  const advance = (to: number) => {
    for (let i = pos; i < to; i++)
      if (src.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    pos = to;
  };
  const fail = (msg: string, p = pos): never => {
    throw new TemplateError('parse', name, at(p), msg);
  };
  const push = (kind: TokenKind, text: string, start: number) => {
    const { line: l, col } = at(start);
    tokens.push({ kind, text, line: l, col });
  };

  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    let text = src.slice(pos, open < 0 ? src.length : open);
    const textStart = pos;
    if (trimNext) text = text.replace(LEAD_WS, '');
    trimNext = false;
    if (open < 0) {
      if (text) push('text', text, textStart);
      advance(src.length);
      break;
    }
    const trimLeft = src[open + 2] === '-' && SPACE.test(src[open + 3] ?? '');
    if (trimLeft) text = text.replace(TRIM_WS, '');
    if (text) push('text', text, textStart);
    advance(open);
    let p = open + 2 + (trimLeft ? 2 : 0);
    // a comment: {{/* ... */}} with optional trim markers
    let q = p;
    while (trimLeft && SPACE.test(src[q] ?? '')) q++;
    if (src.startsWith('/*', q)) {
      const end = src.indexOf('*/', q + 2);
      if (end < 0) fail('unclosed comment');
      let r = end + 2;
      let trimRight = false;
      if (src[r] === ' ' || src[r] === '\t' || src[r] === '\r' || src[r] === '\n') {
        let s = r;
        while (SPACE.test(src[s] ?? '')) s++;
        if (src.startsWith('-}}', s)) {
          trimRight = true;
          r = s + 1;
        }
      }
      if (!src.startsWith('}}', r)) fail('comment ends before closing delimiter');
      advance(r + 2);
      trimNext = trimRight;
      continue;
    }
    push('open', '{{', open);
    advance(p);
    // inside the action
    let parens = 0;
    for (;;) {
      const c = src[p];
      if (c === undefined) fail('unclosed action', open);
      if (SPACE.test(c!)) {
        let s = p;
        while (SPACE.test(src[s] ?? '')) s++;
        if (src.startsWith('-}}', s)) {
          if (parens > 0) fail('unclosed left paren');
          push('close', '}}', s + 1);
          advance(s + 3);
          trimNext = true;
          break;
        }
        push('space', src.slice(p, s), p);
        advance(s);
        p = s;
        continue;
      }
      if (src.startsWith('}}', p)) {
        if (parens > 0) fail('unclosed left paren');
        push('close', '}}', p);
        advance(p + 2);
        break;
      }
      if (c === '|') {
        push('pipe', '|', p++);
      } else if (c === '(') {
        parens++;
        push('lparen', '(', p++);
      } else if (c === ')') {
        if (--parens < 0) fail(`unexpected right paren`, p);
        push('rparen', ')', p++);
      } else if (c === ',') {
        push('comma', ',', p++);
      } else if (c === '=') {
        push('assign', '=', p++);
      } else if (c === ':') {
        if (src[p + 1] !== '=') fail('expected :=', p);
        push('declare', ':=', p);
        p += 2;
      } else if (c === '"') {
        let s = p + 1;
        while (s < src.length && src[s] !== '"') {
          if (src[s] === '\\') s++;
          if (src[s] === '\n') fail('unterminated quoted string', p);
          s++;
        }
        if (s >= src.length) fail('unterminated quoted string', p);
        push(
          'string',
          unquote(src.slice(p + 1, s), (m) => fail(m, p)),
          p,
        );
        p = s + 1;
      } else if (c === '`') {
        const end = src.indexOf('`', p + 1);
        if (end < 0) fail('unterminated raw quoted string', p);
        push('string', src.slice(p + 1, end), p);
        p = end + 1;
      } else if (c === "'") {
        const m = /^'(\\.[^']*|[^'\\])'/u.exec(src.slice(p));
        if (!m) fail('unterminated character constant', p);
        const body = unquote(m![1]!, (msg) => fail(msg, p));
        push('char', body, p);
        p += m![0].length;
      } else if (c === '$') {
        const m = /^\$[\p{L}_\p{Nd}]*/u.exec(src.slice(p))!;
        push('var', m[0], p);
        p += m[0].length;
      } else if (c === '.') {
        const m = /^\.[\p{L}_][\p{L}_\p{Nd}]*/u.exec(src.slice(p));
        if (m) {
          push('field', m[0].slice(1), p);
          p += m[0].length;
        } else if (/[0-9]/.test(src[p + 1] ?? '')) {
          const n = /^\.[0-9][0-9_]*([eE][+-]?[0-9]+)?/.exec(src.slice(p))!;
          push('number', n[0], p);
          p += n[0].length;
        } else {
          push('dot', '.', p++);
        }
      } else if (/[0-9+-]/.test(c!)) {
        const m =
          /^[+-]?(0[xX][0-9a-fA-F_]+(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9]+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?)i?/.exec(
            src.slice(p),
          );
        if (!m) fail(`bad character ${JSON.stringify(c)}`, p);
        if (/[\p{L}_]/u.test(src[p + m![0].length] ?? ''))
          fail(`bad number syntax: "${m![0]}${src[p + m![0].length]}"`, p);
        push('number', m![0], p);
        p += m![0].length;
      } else if (/[\p{L}_]/u.test(c!)) {
        const m = /^[\p{L}_][\p{L}_\p{Nd}]*/u.exec(src.slice(p))!;
        push('ident', m[0], p);
        p += m[0].length;
      } else {
        fail(`unexpected ${JSON.stringify(c)} in command`, p);
      }
      advance(p);
    }
  }
  tokens.push({ kind: 'eof', text: '', ...at(src.length) });
  return tokens;
}
