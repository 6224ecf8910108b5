import type { Arg, Command, Node, ParsedTemplate, Pipe } from './ast.js';
import { type Pos, TemplateError } from './errors.js';
import { lex, type Token } from './lexer.js';

const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

type End = 'end' | 'else';

/** Parses Go text/template source into a tree, checking functions and variables as Go does. */
export function parseTemplate(src: string, name: string, isFunc: (name: string) => boolean): ParsedTemplate {
  return new Parser(lex(src, name), name, isFunc).parse();
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private readonly defines = new Map<string, readonly Node[]>();

  constructor(
    private readonly tokens: Token[],
    private readonly name: string,
    private readonly isFunc: (name: string) => boolean,
  ) {}

  parse(): ParsedTemplate {
    const { list, end } = this.itemList(true);
    if (end) this.fail(`unexpected {{${end.word}}}`, end.pos);
    return { name: this.name, root: list, defines: this.defines };
  }

  private fail(msg: string, pos: Pos = this.peek()): never {
    throw new TemplateError('parse', this.name, pos, msg);
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private nextNonSpace(): Token {
    let t = this.next();
    while (t.kind === 'space') t = this.next();
    return t;
  }

  private peekNonSpace(): Token {
    const save = this.i;
    const t = this.nextNonSpace();
    this.i = save;
    return t;
  }

  private expect(kind: Token['kind'], context: string): Token {
    const t = this.nextNonSpace();
    if (t.kind !== kind) this.fail(`unexpected ${describe(t)} in ${context}`, t);
    return t;
  }

  /** Items up to `{{end}}`/`{{else}}` (returned, consumed up to the keyword) or EOF at top level. */
  private itemList(top: boolean): { list: Node[]; end: { word: End; pos: Pos } | null } {
    const list: Node[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') {
        if (!top) this.fail('unexpected EOF', t);
        return { list, end: null };
      }
      if (t.kind === 'text') {
        list.push({ kind: 'text', text: t.text });
        continue;
      }
      // t is `{{`
      const word = this.peekNonSpace();
      if (word.kind === 'ident' && (word.text === 'end' || word.text === 'else')) {
        this.nextNonSpace();
        return { list, end: { word: word.text, pos: word } };
      }
      const node = this.action(t, top);
      if (node) list.push(node);
    }
  }

  private action(open: Token, top: boolean): Node | null {
    const t = this.peekNonSpace();
    if (t.kind === 'ident' && KEYWORDS.has(t.text)) {
      this.nextNonSpace();
      switch (t.text) {
        case 'if':
        case 'with':
        case 'range':
          return this.control(t.text, t);
        case 'template':
          return this.templateCall(t);
        case 'block':
          return this.block(t);
        case 'define':
          if (!top) this.fail('unexpected <define> in command', t);
          this.define();
          return null;
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(`{{${t.text}}} outside {{range}}`, t);
          this.expect('close', t.text);
          return { kind: t.text, pos: t };
        default:
          this.fail(`unexpected <${t.text}>`, t);
      }
    }
    return { kind: 'action', pos: open, pipe: this.pipeline('command', 'close') };
  }

  private control(kind: 'if' | 'with' | 'range', pos: Pos): Node {
    const mark = this.vars.length;
    if (kind === 'range') this.rangeDepth++;
    const pipe = this.pipeline(kind, 'close');
    const body = this.itemList(false);
    if (kind === 'range') this.rangeDepth--;
    let elseList: Node[] | null = null;
    if (body.end!.word === 'else') {
      const after = this.peekNonSpace();
      if ((kind === 'if' || kind === 'with') && after.kind === 'ident' && after.text === kind) {
        // {{else if ...}}: an `if` nested in the else branch that shares our {{end}}
        this.nextNonSpace();
        elseList = [this.control(kind, after)];
        this.vars.length = mark;
        return { kind, pos, pipe, list: body.list, elseList };
      }
      this.expect('close', 'else');
      const rest = this.itemList(false);
      if (rest.end!.word !== 'end') this.fail('expected end; found {{else}}', rest.end!.pos);
      elseList = rest.list;
    }
    this.expect('close', 'end');
    this.vars.length = mark;
    return { kind, pos, pipe, list: body.list, elseList };
  }

  private templateName(context: string): string {
    const t = this.nextNonSpace();
    if (t.kind !== 'string') this.fail(`unexpected ${describe(t)} in ${context} clause`, t);
    return t.text;
  }

  private templateCall(pos: Pos): Node {
    const name = this.templateName('template');
    let pipe: Pipe | null = null;
    if (this.peekNonSpace().kind === 'close') this.nextNonSpace();
    else pipe = this.pipeline('template', 'close');
    return { kind: 'template', pos, name, pipe };
  }

  private define(): void {
    const name = this.templateName('define');
    this.expect('close', 'define');
    const saved = this.vars;
    this.vars = ['$'];
    const body = this.itemList(false);
    if (body.end!.word !== 'end') this.fail('unexpected {{else}} in define', body.end!.pos);
    this.expect('close', 'end');
    this.vars = saved;
    this.defines.set(name, body.list);
  }

  private block(pos: Pos): Node {
    const name = this.templateName('block');
    const pipe = this.pipeline('block', 'close');
    const saved = this.vars;
    this.vars = ['$'];
    const body = this.itemList(false);
    if (body.end!.word !== 'end') this.fail('unexpected {{else}} in block', body.end!.pos);
    this.expect('close', 'end');
    this.vars = saved;
    this.defines.set(name, body.list);
    return { kind: 'template', pos, name, pipe };
  }

  private pipeline(context: string, end: 'close' | 'rparen'): Pipe {
    const start = this.peekNonSpace();
    const decl: string[] = [];
    let isAssign = false;
    if (start.kind === 'var') {
      const save = this.i;
      const v = this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.kind === 'declare' || after.kind === 'assign') {
        this.nextNonSpace();
        isAssign = after.kind === 'assign';
        decl.push(v.text);
      } else if (after.kind === 'comma' && context === 'range') {
        this.nextNonSpace();
        const second = this.nextNonSpace();
        if (second.kind !== 'var') this.fail('range can only initialize variables', second);
        const op = this.nextNonSpace();
        if (op.kind !== 'declare' && op.kind !== 'assign')
          this.fail('range can only initialize variables', op);
        isAssign = op.kind === 'assign';
        decl.push(v.text, second.text);
      } else {
        this.i = save;
      }
      if (isAssign) for (const d of decl) this.checkVar(d, v);
    }
    const cmds: Command[] = [];
    for (;;) {
      const t = this.nextNonSpace();
      if (t.kind === end) break;
      if (t.kind === 'pipe' && cmds.length > 0) continue;
      if (t.kind === 'close' || t.kind === 'rparen' || t.kind === 'eof' || t.kind === 'pipe')
        this.fail(`unexpected ${describe(t)} in ${context}`, t);
      this.i--;
      cmds.push(this.command(end));
    }
    if (cmds.length === 0) this.fail(`missing value for ${context}`, start);
    cmds.forEach((c, n) => {
      const first = c.args[0]!;
      if (n > 0 && ['bool', 'dot', 'nil', 'number', 'string'].includes(first.kind))
        this.fail(`non executable command in pipeline stage ${n + 1}`, c.pos);
    });
    if (!isAssign) for (const d of decl) this.vars.push(d);
    return { pos: start, decl, isAssign, cmds };
  }

  private command(end: 'close' | 'rparen'): Command {
    const pos = this.peekNonSpace();
    const args: Arg[] = [];
    for (;;) {
      const t = this.peekNonSpace();
      if (t.kind === end || t.kind === 'pipe') break;
      if (args.length > 0 && this.peek().kind !== 'space') this.fail(`missing space? ${describe(t)}`, t);
      args.push(this.operand());
    }
    if (args.length === 0) this.fail('empty command', pos);
    return { pos, args };
  }

  private operand(): Arg {
    const term = this.term();
    if (this.peek().kind !== 'field') return term;
    const names: string[] = [];
    while (this.peek().kind === 'field') names.push(this.next().text);
    switch (term.kind) {
      case 'field':
        return { ...term, names: [...term.names, ...names] };
      case 'var':
        return { ...term, names: [...term.names, ...names] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return this.fail(`unexpected . after term ${JSON.stringify(tokenText(term))}`, term.pos);
      default:
        return { kind: 'chain', pos: term.pos, node: term, names };
    }
  }

  private term(): Arg {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'ident':
        if (t.text === 'true' || t.text === 'false')
          return { kind: 'bool', pos: t, value: t.text === 'true' };
        if (t.text === 'nil') return { kind: 'nil', pos: t };
        if (!this.isFunc(t.text)) this.fail(`function "${t.text}" not defined`, t);
        return { kind: 'ident', pos: t, name: t.text };
      case 'dot':
        return { kind: 'dot', pos: t };
      case 'var':
        this.checkVar(t.text, t);
        return { kind: 'var', pos: t, name: t.text, names: [] };
      case 'field':
        return { kind: 'field', pos: t, names: [t.text] };
      case 'string':
        return { kind: 'string', pos: t, value: t.text };
      case 'char':
        return { kind: 'number', pos: t, text: t.text, value: BigInt(t.text.codePointAt(0) ?? 0) };
      case 'number':
        return { kind: 'number', pos: t, text: t.text, value: parseNumber(t.text, (m) => this.fail(m, t)) };
      case 'lparen':
        return { kind: 'pipe', pos: t, pipe: this.pipeline('parenthesized pipeline', 'rparen') };
      default:
        return this.fail(`unexpected ${describe(t)} in operand`, t);
    }
  }

  private checkVar(name: string, pos: Pos): void {
    if (!this.vars.includes(name)) this.fail(`undefined variable "${name}"`, pos);
  }
}

function tokenText(a: Arg): string {
  switch (a.kind) {
    case 'string':
      return a.value;
    case 'number':
      return a.text;
    case 'bool':
      return String(a.value);
    case 'nil':
      return 'nil';
    default:
      return '.';
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'close':
      return '"}}"';
    case 'eof':
      return 'EOF';
    case 'rparen':
      return '")"';
    default:
      return `<${t.text}>`;
  }
}

/** A Go number literal: an int (bigint) unless it has a fraction or exponent (float64). */
export function parseNumber(text: string, fail: (msg: string) => never): bigint | number {
  const clean = text.replace(/_/g, '');
  if (clean.endsWith('i')) fail(`complex numbers are not supported: ${text}`);
  const neg = clean.startsWith('-');
  const body = clean.replace(/^[+-]/, '');
  const isHex = /^0[xX]/.test(body);
  if (isHex ? /[pP.]/.test(body) : /[.eE]/.test(body)) {
    const v = isHex ? Number.NaN : Number(body);
    if (Number.isNaN(v)) fail(`illegal number syntax: "${text}"`);
    return neg ? -v : v;
  }
  let big: bigint;
  if (/^0[0-7]+$/.test(body)) big = BigInt(`0o${body.slice(1)}`);
  else if (/^0[oO]/.test(body)) big = BigInt(`0o${body.slice(2)}`);
  else {
    try {
      big = BigInt(body);
    } catch {
      return fail(`illegal number syntax: "${text}"`);
    }
  }
  return neg ? -big : big;
}
