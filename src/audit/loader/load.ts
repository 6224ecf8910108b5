import { safeParseWith } from '../../core/schema.js';
import { AuditError } from '../errors.js';
import { ENGINE_VERSION, type Origin } from '../rule-types.js';
import { DefinitionError, Definitions } from './definitions.js';
import {
  EngineVersionSchema,
  ListItemSchema,
  MacroItemSchema,
  PluginVersionsSchema,
  RuleItemSchema,
} from './schema.js';
import { yamlItems } from './yaml-items.js';

/** A rules file by name (shown in errors and finding locations) and its text. */
export interface RulesText {
  readonly name: string;
  readonly text: string;
}

function versionNumbers(v: string | number): number[] {
  return String(v)
    .split('.')
    .map((p) => Number.parseInt(p, 10) || 0);
}

/** Falco numbered engine versions 1..N before it switched to semver 0.N.0: both compare on N. */
function engineNumber(v: string | number): number {
  const parts = versionNumbers(v);
  return parts.length === 1 ? (parts[0] ?? 0) : (parts[1] ?? 0);
}

function itemLabel(value: unknown): string {
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of ['rule', 'macro', 'list'] as const) if (typeof o[k] === 'string') return `${k} "${o[k]}"`;
  }
  return 'item';
}

/** Reads every file in order into one set of definitions; the first bad item throws naming file, line and item. */
export function readDefinitions(files: readonly RulesText[]): Definitions {
  const defs = new Definitions();
  for (const file of files) {
    let items: ReturnType<typeof yamlItems>;
    try {
      items = yamlItems(file.text);
    } catch (err) {
      const line = (err as { line?: number }).line ?? 1;
      throw new AuditError('INVALID_RULES', `${file.name}:${line}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    for (const item of items) {
      const origin: Origin = { file: file.name, line: item.line };
      try {
        addItem(defs, item.value, origin);
      } catch (err) {
        if (err instanceof AuditError) throw err;
        const msg = `${file.name}:${item.line}: ${itemLabel(item.value)}: ${(err as Error).message}`;
        throw new AuditError('INVALID_RULES', msg, { cause: err });
      }
    }
  }
  return defs;
}

function parse<T>(schema: Parameters<typeof safeParseWith>[0], value: unknown): T {
  const r = safeParseWith(schema, value);
  if (!r.ok) throw new DefinitionError(r.message);
  return r.value as T;
}

function addItem(defs: Definitions, value: unknown, origin: Origin): void {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new DefinitionError('an item is a mapping');
  const o = value as Record<string, unknown>;
  if ('rule' in o) defs.addRule(parse(RuleItemSchema, o), origin);
  else if ('macro' in o) defs.addMacro(parse(MacroItemSchema, o), origin);
  else if ('list' in o) defs.addList(parse(ListItemSchema, o));
  else if ('required_engine_version' in o) {
    const v = parse<{ required_engine_version: string | number }>(
      EngineVersionSchema,
      o,
    ).required_engine_version;
    if (engineNumber(v) > engineNumber(ENGINE_VERSION)) {
      throw new DefinitionError(`requires engine version ${v}; Strata implements ${ENGINE_VERSION}`);
    }
  } else if ('required_plugin_versions' in o) parse(PluginVersionsSchema, o);
  else throw new DefinitionError(`unknown item (keys: ${Object.keys(o).join(', ') || 'none'})`);
}
