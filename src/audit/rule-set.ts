import type { Node } from './condition/ast.js';
import { Compiler, type EventContext, FieldTable, type Predicate } from './condition/compile.js';
import { parseCondition } from './condition/parser.js';
import { type Prefilter, prefilter } from './condition/prefilter.js';
import { AuditError } from './errors.js';
import type { Json } from './fields.js';
import type { Definitions } from './loader/definitions.js';
import { exceptionNode } from './loader/exceptions.js';
import { type OutputPart, parseOutput, renderValue } from './output.js';
import { K8S_AUDIT_SOURCE, PRIORITIES, type Priority, type RuleDef } from './rule-types.js';

/** A rule ready to run. */
export interface CompiledRule {
  readonly def: RuleDef;
  readonly priority: Priority;
  readonly matches: Predicate;
  readonly output: readonly OutputPart[];
  readonly prefilter: Prefilter;
}

/** One rule that matched one event. */
export interface Alert {
  readonly rule: string;
  /** the priority word as written in the rules file */
  readonly priority: string;
  /** the normalized priority (`INFORMATIONAL` → `INFO`) */
  readonly level: Priority;
  readonly output: string;
  readonly tags: readonly string[];
  readonly origin: RuleDef['origin'];
  readonly event: Json;
}

const MEMO_LIMIT = 4096;

/** The enabled k8s_audit rules of some rules files, compiled once; `evaluate` runs only the candidates. */
export class RuleSet {
  private readonly memo = new Map<string, readonly CompiledRule[]>();
  private readonly ctx: EventContext;

  constructor(
    readonly rules: readonly CompiledRule[],
    private readonly fields: FieldTable,
    /** rules of other sources (e.g. syscall), loaded and not run */
    readonly ignored: readonly string[],
  ) {
    this.ctx = fields.newContext({});
  }

  /** The rules whose prefilter admits this verb and resource (memoized per pair). */
  candidates(verb: string, resource: string): readonly CompiledRule[] {
    const key = `${verb}\u0000${resource}`;
    let hit = this.memo.get(key);
    if (!hit) {
      hit = this.rules.filter(
        (r) =>
          (!r.prefilter.verbs || r.prefilter.verbs.has(verb)) &&
          (!r.prefilter.resources || r.prefilter.resources.has(resource)),
      );
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(key, hit);
    }
    return hit;
  }

  /** Every enabled rule that matches the event, in load order. */
  evaluate(event: Json): Alert[] {
    const verb = typeof event.verb === 'string' ? event.verb : '';
    const ref = event.objectRef as Json | undefined;
    const resource = ref && typeof ref.resource === 'string' ? ref.resource : '';
    const rules = this.candidates(verb, resource);
    if (rules.length === 0) return [];
    const ctx = this.fields.reset(this.ctx, event);
    const out: Alert[] = [];
    for (const r of rules) {
      if (r.matches(ctx)) out.push(this.alert(r, ctx));
    }
    return out;
  }

  private alert(r: CompiledRule, ctx: EventContext): Alert {
    let output = '';
    for (const p of r.output)
      output += p.kind === 'text' ? p.text : renderValue(this.fields.read(ctx, p.slot));
    return {
      rule: r.def.name,
      priority: r.def.priority,
      level: r.priority,
      output: output.trim(),
      tags: r.def.tags,
      origin: r.def.origin,
      event: ctx.event,
    };
  }
}

function normalizePriority(p: string): Priority | undefined {
  const up = p.toUpperCase();
  if (up === 'INFORMATIONAL') return 'INFO';
  return (PRIORITIES as readonly string[]).includes(up) ? (up as Priority) : undefined;
}

/** Compiles the enabled k8s_audit rules; an error names the rule's file and line. */
export function compileRuleSet(defs: Definitions): RuleSet {
  const lists = resolveLists(defs.lists);
  const macros = new Map([...defs.macros].map(([k, v]) => [k, v.condition]));
  const fields = new FieldTable();
  const compiler = new Compiler({ macros, lists }, fields);
  const rules: CompiledRule[] = [];
  const ignored: string[] = [];
  for (const def of defs.rules.values()) {
    if (def.source !== K8S_AUDIT_SOURCE) {
      ignored.push(def.name);
      continue;
    }
    if (!def.enabled) continue;
    try {
      rules.push(compileRule(def, compiler, fields, lists));
    } catch (err) {
      const msg = `${def.origin.file}:${def.origin.line}: rule "${def.name}": ${(err as Error).message}`;
      throw new AuditError('INVALID_CONDITION', msg, { cause: err });
    }
  }
  return new RuleSet(rules, fields, ignored);
}

function compileRule(
  def: RuleDef,
  compiler: Compiler,
  fields: FieldTable,
  lists: ReadonlyMap<string, readonly string[]>,
): CompiledRule {
  const priority = normalizePriority(def.priority);
  if (!priority) throw new Error(`priority "${def.priority}" is not one of ${PRIORITIES.join(', ')}`);
  const condition = parseCondition(def.condition);
  const excepted = def.exceptions.map(exceptionNode).filter((n): n is Node => n !== undefined);
  const full: Node = excepted.length
    ? { kind: 'and', items: [condition, { kind: 'not', item: { kind: 'or', items: excepted } }] }
    : condition;
  return {
    def,
    priority,
    matches: compiler.compile(full),
    output: parseOutput(def.output, (name, arg) => fields.slot(arg === undefined ? { name } : { name, arg })),
    prefilter: prefilter(condition, (name) => compiler.macro(name), lists),
  };
}

/** Lists with the names of other lists among their items replaced by those lists' items. */
function resolveLists(raw: ReadonlyMap<string, readonly string[]>): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const resolve = (name: string, seen: Set<string>): readonly string[] => {
    const done = out.get(name);
    if (done) return done;
    const items: string[] = [];
    for (const item of raw.get(name) ?? []) {
      if (raw.has(item) && !seen.has(item)) items.push(...resolve(item, new Set([...seen, item])));
      else items.push(item);
    }
    out.set(name, items);
    return items;
  };
  for (const name of raw.keys()) resolve(name, new Set([name]));
  return out;
}
