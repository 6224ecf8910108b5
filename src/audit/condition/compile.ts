import { type FieldValue, fieldReader, type Json } from '../fields.js';
import type { FieldRef, ListItem, Node } from './ast.js';
import { binaryTest, listTest } from './operators.js';
import { parseCondition } from './parser.js';

/** One event being evaluated: its JSON and the values of the fields read so far (slot per field). */
export interface EventContext {
  event: Json;
  readonly values: unknown[];
}
export type Predicate = (ctx: EventContext) => boolean;

export const UNSET: unique symbol = Symbol('unset');

/** What conditions may reference: macros by name (parsed lazily) and lists already expanded. */
export interface Definitions {
  readonly macros: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
}

/** The field slots shared by every rule of a rule set, so one event reads each field once. */
export class FieldTable {
  private readonly slots = new Map<string, number>();
  readonly readers: Array<(e: Json) => FieldValue> = [];

  slot(ref: FieldRef): number {
    const key = ref.arg === undefined ? ref.name : `${ref.name}[${ref.arg}]`;
    const known = this.slots.get(key);
    if (known !== undefined) return known;
    const reader = fieldReader(ref.name, ref.arg);
    if (typeof reader === 'string') throw new Error(reader);
    this.readers.push(reader);
    this.slots.set(key, this.readers.length - 1);
    return this.readers.length - 1;
  }

  newContext(event: Json): EventContext {
    return { event, values: new Array(this.readers.length).fill(UNSET) };
  }

  /** The context made ready for the next event (one context reused: evaluation is synchronous). */
  reset(ctx: EventContext, event: Json): EventContext {
    ctx.event = event;
    ctx.values.fill(UNSET);
    return ctx;
  }

  /** The field's values, `undefined` when `<NA>` (missing, or a list field with no values). */
  read(ctx: EventContext, slot: number): FieldValue {
    let v = ctx.values[slot];
    if (v === UNSET) {
      const raw = (this.readers[slot] as (e: Json) => FieldValue)(ctx.event);
      v = Array.isArray(raw) && raw.length === 0 ? undefined : raw;
      ctx.values[slot] = v;
    }
    return v as FieldValue;
  }
}

/** Expands list names among the items (recursively through lists that name lists). */
export function expandItems(items: readonly ListItem[], lists: Definitions['lists']): Set<string> {
  const out = new Set<string>();
  for (const item of items) {
    const named = item.bare ? lists.get(item.value) : undefined;
    if (named) for (const v of named) out.add(v);
    else out.add(item.value);
  }
  return out;
}

/** Compiles conditions to closures; each macro is parsed and compiled once, on first use. */
export class Compiler {
  private readonly macroAst = new Map<string, Node>();
  private readonly macroFn = new Map<string, Predicate>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly defs: Definitions,
    readonly fields: FieldTable,
  ) {}

  /** The macro's parsed condition (throws naming the macro when it does not parse or does not exist). */
  macro(name: string): Node {
    const known = this.macroAst.get(name);
    if (known) return known;
    const src = this.defs.macros.get(name);
    if (src === undefined) throw new Error(`undefined macro or unknown field "${name}"`);
    let ast: Node;
    try {
      ast = parseCondition(src);
    } catch (err) {
      throw new Error(`macro "${name}": ${(err as Error).message}`);
    }
    this.macroAst.set(name, ast);
    return ast;
  }

  compile(node: Node): Predicate {
    switch (node.kind) {
      case 'and': {
        const fs = node.items.map((n) => this.compile(n));
        return (ctx) => {
          for (const f of fs) if (!f(ctx)) return false;
          return true;
        };
      }
      case 'or': {
        const fs = node.items.map((n) => this.compile(n));
        return (ctx) => {
          for (const f of fs) if (f(ctx)) return true;
          return false;
        };
      }
      case 'not': {
        const f = this.compile(node.item);
        return (ctx) => !f(ctx);
      }
      case 'macro':
        return this.compileMacro(node.name);
      case 'exists': {
        const slot = this.fields.slot(node.field);
        return (ctx) => this.fields.read(ctx, slot) !== undefined;
      }
      case 'binary': {
        const slot = this.fields.slot(node.field);
        const test = binaryTest(node.op, node.value);
        return (ctx) => {
          const v = this.fields.read(ctx, slot);
          if (v === undefined) return false;
          return typeof v === 'string' ? test(v) : v.some(test);
        };
      }
      case 'fields': {
        const slot = this.fields.slot(node.field);
        const other = this.fields.slot(node.other);
        return (ctx) => {
          const v = this.fields.read(ctx, slot);
          const w = this.fields.read(ctx, other);
          if (typeof v !== 'string' || typeof w !== 'string') return false;
          return binaryTest(node.op, w)(v);
        };
      }
      case 'list': {
        const slot = this.fields.slot(node.field);
        const set = expandItems(node.items, this.defs.lists);
        const test = listTest(node.op, set);
        const one = node.op === 'pmatch' ? (v: string) => test([v]) : (v: string) => set.has(v);
        return (ctx) => {
          const v = this.fields.read(ctx, slot);
          if (v === undefined) return false;
          return typeof v === 'string' ? one(v) : test(v);
        };
      }
    }
  }

  private compileMacro(name: string): Predicate {
    const done = this.macroFn.get(name);
    if (done) return done;
    if (this.visiting.has(name)) throw new Error(`macro "${name}" refers to itself`);
    this.visiting.add(name);
    try {
      const fn = this.compile(this.macro(name));
      this.macroFn.set(name, fn);
      return fn;
    } finally {
      this.visiting.delete(name);
    }
  }
}
