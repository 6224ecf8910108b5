import { AuditError } from '../errors.js';
import {
  BINARY_OPS,
  type BinaryOp,
  type FieldRef,
  LIST_OPS,
  type ListItem,
  type ListOp,
  type Node,
} from './ast.js';
import { type Token, tokenize } from './lexer.js';

/** Deeper nesting than this is refused rather than risking the stack on hostile rules files. */
export const MAX_DEPTH = 256;

const FIELD = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)(?:\[(.*)\])?$/s;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses a Falco condition: `or` binds loosest, then `and`, then `not`; checks and macro names are the atoms. */
export function parseCondition(src: string): Node {
  const p = new Parser(tokenize(src));
  const node = p.or(0);
  p.expectEnd();
  return node;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: readonly Token[]) {}

  private peek(): Token {
    return this.toks[this.i] as Token;
  }
  private next(): Token {
    return this.toks[this.i++] as Token;
  }
  private isWord(v: string): boolean {
    const t = this.peek();
    return t.t === 'word' && t.v === v;
  }
  private fail(msg: string, t = this.peek()): never {
    throw new AuditError('INVALID_CONDITION', `${msg} at offset ${t.at}`);
  }

  expectEnd(): void {
    if (this.peek().t !== 'end') this.fail(`unexpected ${describe(this.peek())}`);
  }

  or(depth: number): Node {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH}`);
    const items = [this.and(depth)];
    while (this.isWord('or')) {
      this.next();
      items.push(this.and(depth));
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'or', items };
  }

  private and(depth: number): Node {
    const items = [this.not(depth)];
    while (this.isWord('and')) {
      this.next();
      items.push(this.not(depth));
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'and', items };
  }

  private not(depth: number): Node {
    if (this.isWord('not')) {
      if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH}`);
      this.next();
      return { kind: 'not', item: this.not(depth + 1) };
    }
    return this.atom(depth);
  }

  private atom(depth: number): Node {
    const t = this.next();
    if (t.t === 'lparen') {
      const inner = this.or(depth + 1);
      if (this.next().t !== 'rparen') this.fail('expected ")"', this.toks[this.i - 1]);
      return inner;
    }
    if (t.t !== 'word') this.fail(`expected a field or macro, got ${describe(t)}`, t);
    const field = FIELD.exec(t.v);
    if (!field) {
      if (!IDENT.test(t.v)) this.fail(`"${t.v}" is neither a field nor a macro name`, t);
      return { kind: 'macro', name: t.v };
    }
    const ref: FieldRef =
      field[2] === undefined ? { name: field[1] as string } : { name: field[1] as string, arg: field[2] };
    return this.check(ref);
  }

  private check(field: FieldRef): Node {
    const t = this.next();
    const op = t.t === 'op' || t.t === 'word' ? t.v : '';
    if (op === 'exists') return { kind: 'exists', field };
    if (LIST_OPS.has(op)) return { kind: 'list', op: op as ListOp, field, items: this.listItems() };
    if (BINARY_OPS.has(op)) {
      const normalized = (op === '==' ? '=' : op) as BinaryOp;
      if (this.isWord('val') && this.toks[this.i + 1]?.t === 'lparen') {
        this.i += 2;
        const inner = this.next();
        const m = inner.t === 'word' ? FIELD.exec(inner.v) : null;
        if (!m || this.next().t !== 'rparen') this.fail('expected val(field)', inner);
        const other: FieldRef =
          m[2] === undefined ? { name: m[1] as string } : { name: m[1] as string, arg: m[2] };
        return { kind: 'fields', op: normalized, field, other };
      }
      const v = this.next();
      if (v.t !== 'str' && v.t !== 'word') this.fail(`expected a value after "${op}"`, v);
      return { kind: 'binary', op: (op === '==' ? '=' : op) as BinaryOp, field, value: v.v };
    }
    return this.fail(`expected an operator after ${field.name}, got ${describe(t)}`, t);
  }

  private listItems(): ListItem[] {
    const t = this.next();
    if (t.t === 'word') return [{ kind: 'literal', value: t.v, bare: true }];
    if (t.t !== 'lparen') this.fail('expected "(" to open a list', t);
    const items: ListItem[] = [];
    if (this.peek().t === 'rparen') {
      this.next();
      return items;
    }
    for (;;) {
      const v = this.next();
      if (v.t !== 'str' && v.t !== 'word') this.fail('expected a list item', v);
      items.push({ kind: 'literal', value: v.v, bare: v.t === 'word' });
      const sep = this.next();
      if (sep.t === 'rparen') return items;
      if (sep.t !== 'comma') this.fail('expected "," or ")" in a list', sep);
    }
  }
}

function describe(t: Token): string {
  switch (t.t) {
    case 'end':
      return 'the end of the condition';
    case 'lparen':
      return '"("';
    case 'rparen':
      return '")"';
    case 'comma':
      return '","';
    default:
      return `"${t.v}"`;
  }
}
