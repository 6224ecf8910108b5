import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AuditError } from './errors.js';
import { type RulesText, readDefinitions } from './loader/load.js';
import { compileRuleSet, type RuleSet } from './rule-set.js';

/** Strata's own rules file, shipped beside the compiled module (the build copies it to dist). */
export const BUILTIN_RULES_PATH = fileURLToPath(
  new URL('./rules/strata_k8s_audit_rules.yaml', import.meta.url),
);

/** Loads rules from texts, in order (later files append to and override earlier ones), and compiles them. */
export function loadRuleTexts(files: readonly RulesText[]): RuleSet {
  return compileRuleSet(readDefinitions(files));
}

/** Loads rules files by path, in order; without paths, Strata's built-in rules. */
export async function loadRuleFiles(paths: readonly string[]): Promise<RuleSet> {
  const list = paths.length ? paths : [BUILTIN_RULES_PATH];
  const texts: RulesText[] = [];
  for (const path of list) {
    try {
      texts.push({
        name: path === BUILTIN_RULES_PATH ? 'strata_k8s_audit_rules.yaml' : path,
        text: await readFile(path, 'utf8'),
      });
    } catch (err) {
      throw new AuditError('INVALID_RULES', `${path}: cannot read the rules file`, { cause: err });
    }
  }
  return loadRuleTexts(texts);
}
