import type { Arg, Command, Node, Pipe } from './ast.js';
import { compare, equal } from './compare.js';
import { FuncError, type Pos, TemplateError } from './errors.js';
import { type GoFunc, GoObject, type GoValue, isMap, printValue, truth, typeName } from './value.js';

/** A named template body and the file it was parsed from (for error positions). */
export interface Defined {
  readonly file: string;
  readonly nodes: readonly Node[];
}

export interface ExecLimits {
  /** largest output of one execution, in characters */
  readonly maxOutput: number;
  /** deepest nesting of `template`/`include` calls */
  readonly maxDepth: number;
  /** most actions and loop iterations one render may run (a hostile chart is an error, not a hang) */
  readonly maxSteps: number;
}

const DEFAULT_LIMITS: ExecLimits = { maxOutput: 16 * 1024 * 1024, maxDepth: 200, maxSteps: 5_000_000 };

/** Steps run so far, shared by the executors of one render (`tpl` makes its own). */
export interface StepBudget {
  steps: number;
}

type ControlNode = Extract<Node, { kind: 'if' | 'with' | 'range' }>;

interface Var {
  readonly name: string;
  value: GoValue;
}

class Control {
  constructor(readonly kind: 'break' | 'continue') {}
}

/** Where evaluation stands: which template (for errors), its file, and the variables. */
interface Frame {
  readonly name: string;
  readonly file: string;
  readonly vars: Var[];
}

/**
 * Runs parsed templates with Go text/template semantics (missingkey=zero, as Helm sets it):
 * pipelines, fields of maps and objects, variables, control structures, `template` calls and
 * the functions given. Errors are `TemplateError`s naming the template file, line and column.
 */
export class Executor {
  private out: string[] = [];
  private size = 0;
  private depth = 0;

  constructor(
    private readonly templates: ReadonlyMap<string, Defined>,
    private readonly funcs: ReadonlyMap<string, GoFunc>,
    private readonly limits: ExecLimits = DEFAULT_LIMITS,
    private readonly budget: StepBudget = { steps: 0 },
  ) {}

  private step(): void {
    if (++this.budget.steps > this.limits.maxSteps)
      throw new FuncError(`rendering takes more than ${this.limits.maxSteps} steps`);
  }

  /** Executes the named template with `data` as dot and returns its output. */
  execute(name: string, data: GoValue): string {
    const t = this.templates.get(name);
    if (!t) throw new FuncError(`no template "${name}" associated with template "gotpl"`);
    const saved = { out: this.out, size: this.size };
    this.out = [];
    this.size = 0;
    if (++this.depth > this.limits.maxDepth)
      throw new FuncError(`rendering template has a nested reference name: ${name}`);
    try {
      this.walk({ name, file: t.file, vars: [{ name: '$', value: data }] }, data, t.nodes);
      return this.out.join('');
    } finally {
      this.depth--;
      this.out = saved.out;
      this.size = saved.size;
    }
  }

  private write(text: string): void {
    this.size += text.length;
    if (this.size > this.limits.maxOutput)
      throw new FuncError(`output is larger than ${this.limits.maxOutput} characters`);
    this.out.push(text);
  }

  private fail(f: Frame, pos: Pos, at: string, err: unknown): never {
    if (err instanceof TemplateError) throw err;
    let msg = err instanceof Error ? err.message : String(err);
    if (err instanceof RangeError && /call stack/i.test(msg)) msg = 'templates nested too deeply';
    throw new TemplateError('exec', f.file, pos, `executing "${f.name}" at <${at}>: ${msg}`);
  }

  private walk(f: Frame, dot: GoValue, nodes: readonly Node[]): void {
    for (const node of nodes) this.walkNode(f, dot, node);
  }

  private walkNode(f: Frame, dot: GoValue, node: Node): void {
    this.step();
    switch (node.kind) {
      case 'text':
        this.write(node.text);
        return;
      case 'action': {
        const v = this.pipeline(f, dot, node.pipe);
        if (node.pipe.decl.length === 0) this.write(printValue(v));
        return;
      }
      case 'if':
      case 'with': {
        const mark = f.vars.length;
        const v = this.pipeline(f, dot, node.pipe);
        if (truth(v)) this.walk(f, node.kind === 'with' ? v : dot, node.list);
        else if (node.elseList) this.walk(f, dot, node.elseList);
        f.vars.length = mark;
        return;
      }
      case 'range':
        this.range(f, dot, node);
        return;
      case 'template': {
        const data = node.pipe ? this.pipeline(f, dot, node.pipe) : undefined;
        try {
          this.write(this.execute(node.name, data));
        } catch (err) {
          this.fail(f, node.pos, `template "${node.name}"`, err);
        }
        return;
      }
      case 'break':
      case 'continue':
        throw new Control(node.kind);
    }
  }

  private range(f: Frame, dot: GoValue, node: ControlNode): void {
    const mark = f.vars.length;
    const v = this.pipeline(f, dot, node.pipe);
    // the pipeline declared its variables already; they are re-set on each iteration
    const decl = node.pipe.decl;
    const inner = f.vars.length;
    const items: [GoValue, GoValue][] = [];
    if (Array.isArray(v)) v.forEach((x, i) => void items.push([BigInt(i), x]));
    else if (v instanceof Uint8Array) v.forEach((x, i) => void items.push([BigInt(i), BigInt(x)]));
    else if (isMap(v))
      for (const k of Object.keys(v).sort()) items.push([k, v[k] === undefined ? null : v[k]!]);
    else if (v instanceof GoObject && v.entries()) items.push(...v.entries()!);
    else if (typeof v === 'bigint') for (let i = 0n; i < v; i++) items.push([i, i]);
    else if (v !== null && v !== undefined)
      this.fail(f, node.pos, 'range', new FuncError(`range can't iterate over ${printValue(v)}`));
    for (const [key, elem] of items) {
      this.step();
      if (decl.length === 1) this.setDecl(f, mark, decl[0]!, elem, node.pipe.isAssign);
      if (decl.length === 2) {
        this.setDecl(f, mark, decl[0]!, key, node.pipe.isAssign);
        this.setDecl(f, mark + 1, decl[1]!, elem, node.pipe.isAssign);
      }
      try {
        this.walk(f, elem, node.list);
      } catch (err) {
        if (!(err instanceof Control)) throw err;
        if (err.kind === 'break') break;
      } finally {
        f.vars.length = inner;
      }
    }
    if (items.length === 0 && node.elseList) this.walk(f, dot, node.elseList);
    f.vars.length = mark;
  }

  private setDecl(f: Frame, index: number, name: string, value: GoValue, isAssign: boolean): void {
    if (isAssign) this.setVar(f, name, value);
    else f.vars[index] = { name, value };
  }

  private setVar(f: Frame, name: string, value: GoValue): void {
    for (let i = f.vars.length - 1; i >= 0; i--)
      if (f.vars[i]!.name === name) {
        f.vars[i]!.value = value;
        return;
      }
    throw new FuncError(`undefined variable: ${name}`);
  }

  private varValue(f: Frame, name: string): GoValue {
    for (let i = f.vars.length - 1; i >= 0; i--) if (f.vars[i]!.name === name) return f.vars[i]!.value;
    throw new FuncError(`undefined variable: ${name}`);
  }

  private pipeline(f: Frame, dot: GoValue, pipe: Pipe): GoValue {
    let value: GoValue;
    let hasFinal = false;
    for (const cmd of pipe.cmds) {
      value = this.command(f, dot, cmd, hasFinal, value);
      hasFinal = true;
    }
    // a nil interface result becomes Go's invalid value (no error on field access after it)
    if (value === null) value = undefined;
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(f, name, value);
      else f.vars.push({ name, value });
    }
    return value;
  }

  private command(f: Frame, dot: GoValue, cmd: Command, hasFinal: boolean, final: GoValue): GoValue {
    const first = cmd.args[0]!;
    const at = argText(first);
    try {
      switch (first.kind) {
        case 'field':
          return this.fieldChain(f, dot, dot, first.names, cmd.args, hasFinal, final);
        case 'chain': {
          const recv = this.arg(f, dot, first.node);
          return this.fieldChain(f, dot, recv, first.names, cmd.args, hasFinal, final);
        }
        case 'var': {
          const v = this.varValue(f, first.name);
          if (first.names.length === 0) {
            notAFunction(cmd.args, hasFinal);
            return v;
          }
          return this.fieldChain(f, dot, v, first.names, cmd.args, hasFinal, final);
        }
        case 'ident':
          return this.call(f, dot, first.name, cmd.args.slice(1), hasFinal, final);
        case 'pipe':
          notAFunction(cmd.args, hasFinal);
          return this.pipeline(f, dot, first.pipe);
        default:
          notAFunction(cmd.args, hasFinal);
          if (first.kind === 'nil') throw new FuncError('nil is not a command');
          return this.arg(f, dot, first);
      }
    } catch (err) {
      if (err instanceof Control) throw err;
      return this.fail(f, first.pos, at, err);
    }
  }

  /** One operand's value (`final` is never applied here). */
  private arg(f: Frame, dot: GoValue, a: Arg): GoValue {
    switch (a.kind) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'bool':
        return a.value;
      case 'number':
        return a.value;
      case 'string':
        return a.value;
      case 'field':
        return this.fieldChain(f, dot, dot, a.names, [a], false, undefined);
      case 'var': {
        const v = this.varValue(f, a.name);
        return a.names.length ? this.fieldChain(f, dot, v, a.names, [a], false, undefined) : v;
      }
      case 'chain':
        return this.fieldChain(f, dot, this.arg(f, dot, a.node), a.names, [a], false, undefined);
      case 'pipe':
        return this.pipeline(f, dot, a.pipe);
      case 'ident':
        return this.call(f, dot, a.name, [], false, undefined);
    }
  }

  private fieldChain(
    f: Frame,
    dot: GoValue,
    receiver: GoValue,
    names: readonly string[],
    args: readonly Arg[],
    hasFinal: boolean,
    final: GoValue,
  ): GoValue {
    let v = receiver;
    for (let i = 0; i < names.length - 1; i++) v = this.field(f, dot, names[i]!, v, [], false, undefined);
    return this.field(f, dot, names[names.length - 1]!, v, args.slice(1), hasFinal, final);
  }

  private field(
    f: Frame,
    dot: GoValue,
    name: string,
    receiver: GoValue,
    args: readonly Arg[],
    hasFinal: boolean,
    final: GoValue,
  ): GoValue {
    if (receiver === undefined) return undefined;
    if (receiver === null) throw new FuncError(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = args.length > 0 || hasFinal;
    if (receiver instanceof GoObject) {
      const method = receiver.method(name);
      if (method) {
        const values = args.map((a) => nilOf(this.arg(f, dot, a)));
        if (hasFinal) values.push(nilOf(final));
        return method(...values);
      }
      const value = receiver.field(name);
      if (value === undefined)
        throw new FuncError(`can't evaluate field ${name} in type ${receiver.typeName}`);
      if (hasArgs) throw new FuncError(`${name} has arguments but cannot be invoked as function`);
      return value;
    }
    if (isMap(receiver)) {
      if (hasArgs) throw new FuncError(`${name} is not a method but has arguments`);
      const value = Object.hasOwn(receiver, name) ? receiver[name] : null;
      return value === undefined ? null : value;
    }
    throw new FuncError(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private call(
    f: Frame,
    dot: GoValue,
    name: string,
    args: readonly Arg[],
    hasFinal: boolean,
    final: GoValue,
  ): GoValue {
    if (name === 'and' || name === 'or') return this.logic(f, dot, name, args, hasFinal, final);
    const fn = this.funcs.get(name);
    if (!fn) throw new FuncError(`"${name}" is not a defined function`);
    const values = args.map((a) => nilOf(this.arg(f, dot, a)));
    if (hasFinal) values.push(nilOf(final));
    try {
      return fn(...values);
    } catch (err) {
      if (err instanceof TemplateError) throw err;
      if (err instanceof FuncError) throw new FuncError(`error calling ${name}: ${err.message}`);
      throw err;
    }
  }

  /** `and`/`or` evaluate their arguments only as far as needed (Go 1.18+). */
  private logic(
    f: Frame,
    dot: GoValue,
    name: 'and' | 'or',
    args: readonly Arg[],
    hasFinal: boolean,
    final: GoValue,
  ): GoValue {
    const n = args.length + (hasFinal ? 1 : 0);
    if (n < 1) throw new FuncError(`wrong number of args for ${name}: want at least 1 got 0`);
    let v: GoValue = null;
    for (let i = 0; i < n; i++) {
      v = nilOf(i < args.length ? this.arg(f, dot, args[i]!) : final);
      if (truth(v) === (name === 'or')) return v;
    }
    return v;
  }
}

function nilOf(v: GoValue): GoValue {
  return v === undefined ? null : v;
}

function notAFunction(args: readonly Arg[], hasFinal: boolean): void {
  if (args.length > 1 || hasFinal)
    throw new FuncError(`can't give argument to non-function ${argText(args[0]!)}`);
}

/** The source-like text of an operand, as Go's error messages quote it. */
export function argText(a: Arg): string {
  switch (a.kind) {
    case 'field':
      return `.${a.names.join('.')}`;
    case 'var':
      return [a.name, ...a.names].join('.');
    case 'chain':
      return `(${argText(a.node)}).${a.names.join('.')}`;
    case 'ident':
      return a.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(a.value);
    case 'number':
      return a.text;
    case 'string':
      return JSON.stringify(a.value);
    case 'pipe':
      return `(${a.pipe.cmds.map((c) => c.args.map(argText).join(' ')).join(' | ')})`;
  }
}

export { compare, equal };
