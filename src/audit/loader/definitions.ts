import type { ExceptionDef, Origin, RuleDef } from '../rule-types.js';
import type { ListItemDoc, MacroItemDoc, RuleItemDoc } from './schema.js';

/** A definition problem; the loader adds the file, line and item name. */
export class DefinitionError extends Error {}

interface MacroDef {
  condition: string;
  origin: Origin;
}

/**
 * Everything the files define, in load order, with Falco's `append: true` and `override:` applied:
 * an appended condition is joined with a space, appended lists and tags are concatenated, appended
 * exceptions with a known name add their values.
 */
export class Definitions {
  readonly lists = new Map<string, string[]>();
  readonly macros = new Map<string, MacroDef>();
  readonly rules = new Map<string, RuleDef>();

  addList(doc: ListItemDoc): void {
    const items = doc.items ?? [];
    const prior = this.lists.get(doc.list);
    const mode = doc.override?.items ?? (doc.append ? 'append' : undefined);
    if (mode && !prior) throw new DefinitionError(`${mode}s to a list that is not defined before`);
    this.lists.set(doc.list, mode === 'append' && prior ? [...prior, ...items] : items);
  }

  addMacro(doc: MacroItemDoc, origin: Origin): void {
    const prior = this.macros.get(doc.macro);
    const mode = doc.override?.condition ?? (doc.append ? 'append' : undefined);
    if (doc.condition === undefined) throw new DefinitionError('has no condition');
    if (mode && !prior) throw new DefinitionError(`${mode}s to a macro that is not defined before`);
    const condition = mode === 'append' && prior ? `${prior.condition} ${doc.condition}` : doc.condition;
    this.macros.set(doc.macro, { condition, origin: mode && prior ? prior.origin : origin });
  }

  addRule(doc: RuleItemDoc, origin: Origin): void {
    const prior = this.rules.get(doc.rule);
    if (doc.override) this.overrideRule(doc, prior);
    else if (doc.append) this.appendRule(doc, prior);
    else if (doc.condition === undefined) {
      // the short form `- rule: X\n  enabled: false` switches a defined rule on or off
      if (!prior)
        throw new DefinitionError('has no condition (and no earlier rule of that name to enable or disable)');
      if (doc.enabled !== undefined) this.rules.set(doc.rule, { ...prior, enabled: doc.enabled });
    } else this.defineRule({ ...doc, condition: doc.condition }, origin);
  }

  private defineRule(doc: RuleItemDoc & { condition: string }, origin: Origin): void {
    const source = doc.source ?? 'syscall';
    if (doc.output === undefined) throw new DefinitionError('has no output');
    if (doc.priority === undefined) throw new DefinitionError('has no priority');
    this.rules.set(doc.rule, {
      name: doc.rule,
      desc: doc.desc ?? '',
      condition: doc.condition,
      output: doc.output,
      priority: doc.priority,
      source,
      enabled: doc.enabled ?? true,
      tags: doc.tags ?? [],
      exceptions: (doc.exceptions ?? []).map(exception),
      origin,
    });
  }

  private appendRule(doc: RuleItemDoc, prior: RuleDef | undefined): void {
    if (!prior) throw new DefinitionError('appends to a rule that is not defined before');
    this.rules.set(doc.rule, {
      ...prior,
      condition: doc.condition === undefined ? prior.condition : `${prior.condition} ${doc.condition}`,
      output: doc.output === undefined ? prior.output : `${prior.output} ${doc.output}`,
      desc: doc.desc === undefined ? prior.desc : `${prior.desc} ${doc.desc}`,
      tags: [...prior.tags, ...(doc.tags ?? [])],
      exceptions: appendExceptions(prior.exceptions, (doc.exceptions ?? []).map(exception)),
      enabled: doc.enabled ?? prior.enabled,
    });
  }

  private overrideRule(doc: RuleItemDoc, prior: RuleDef | undefined): void {
    if (!prior) throw new DefinitionError('overrides a rule that is not defined before');
    const o = doc.override ?? {};
    let next: RuleDef = prior;
    for (const [key, mode] of Object.entries(o)) {
      const value = (doc as Record<string, unknown>)[key];
      if (value === undefined) throw new DefinitionError(`override.${key} is set but the item has no ${key}`);
      next = applyOverride(next, key, mode, doc);
    }
    this.rules.set(doc.rule, next);
  }
}

function applyOverride(r: RuleDef, key: string, mode: 'append' | 'replace', doc: RuleItemDoc): RuleDef {
  const append = mode === 'append';
  switch (key) {
    case 'condition':
      return { ...r, condition: append ? `${r.condition} ${doc.condition}` : (doc.condition as string) };
    case 'output':
      return { ...r, output: append ? `${r.output} ${doc.output}` : (doc.output as string) };
    case 'desc':
      return { ...r, desc: append ? `${r.desc} ${doc.desc}` : (doc.desc as string) };
    case 'tags':
      return { ...r, tags: append ? [...r.tags, ...(doc.tags ?? [])] : (doc.tags ?? []) };
    case 'exceptions': {
      const added = (doc.exceptions ?? []).map(exception);
      return { ...r, exceptions: append ? appendExceptions(r.exceptions, added) : added };
    }
    case 'priority':
      return { ...r, priority: doc.priority as string };
    case 'enabled':
      return { ...r, enabled: doc.enabled as boolean };
    case 'source':
      return { ...r, source: doc.source as string };
    default:
      return r;
  }
}

function exception(e: NonNullable<RuleItemDoc['exceptions']>[number]): ExceptionDef {
  return { name: e.name, fields: e.fields ?? [], comps: e.comps, values: e.values ?? [] };
}

/** Appended exceptions: values join an exception of the same name; a new name must bring its fields. */
function appendExceptions(prior: readonly ExceptionDef[], added: readonly ExceptionDef[]): ExceptionDef[] {
  const out = [...prior];
  for (const a of added) {
    const i = out.findIndex((p) => p.name === a.name);
    const existing = out[i];
    if (existing) out[i] = { ...existing, values: [...existing.values, ...a.values] };
    else if (a.fields.length === 0) throw new DefinitionError(`exception "${a.name}" has no fields`);
    else out.push(a);
  }
  return out;
}
