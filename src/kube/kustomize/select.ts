import { KustomizeError } from './errors.js';
import { groupVersion, type KResource, kindOf, meta, nameOf } from './resource.js';
import type { Target } from './schema.js';

function anchored(pattern: string, where: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new KustomizeError('INVALID', `${where}: bad target pattern ${JSON.stringify(pattern)}`);
  }
}

function selectorMatches(selector: string, values: unknown): boolean {
  const map = values && typeof values === 'object' ? (values as Record<string, unknown>) : {};
  return selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((term) => {
      const ne = /^([^!=]+)!=(.*)$/.exec(term);
      if (ne) return map[ne[1]!.trim()] !== ne[2]!.trim();
      const eq = /^([^=]+)==?(.*)$/.exec(term);
      if (eq) return map[eq[1]!.trim()] === eq[2]!.trim();
      if (term.startsWith('!')) return !(term.slice(1) in map);
      return term in map;
    });
}

/** The resources a patch `target` selects (kind, name and namespace are anchored regexes). */
export function selectTargets(resources: readonly KResource[], t: Target, where: string): KResource[] {
  return resources.filter((r) => {
    const o = r.object;
    const gv = groupVersion(o);
    if (t.group !== undefined && t.group !== gv.group) return false;
    if (t.version !== undefined && t.version !== gv.version) return false;
    if (t.kind !== undefined && !anchored(t.kind, where).test(kindOf(o))) return false;
    if (t.name !== undefined && !anchored(t.name, where).test(nameOf(o))) return false;
    const ns = typeof meta(o).namespace === 'string' ? (meta(o).namespace as string) : '';
    if (t.namespace !== undefined && !anchored(t.namespace, where).test(ns)) return false;
    if (t.labelSelector !== undefined && !selectorMatches(t.labelSelector, meta(o).labels)) return false;
    if (t.annotationSelector !== undefined && !selectorMatches(t.annotationSelector, meta(o).annotations))
      return false;
    return true;
  });
}
