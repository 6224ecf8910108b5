import { selectorMatches } from './selector.js';
import type { PolicyRule, Role, SourceRef } from './types.js';

const ruleKey = (r: PolicyRule) =>
  JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);

/**
 * ClusterRole aggregation as `pkg/controller/clusterroleaggregation` does it: an aggregated
 * ClusterRole's rules become the union (first occurrence kept, semantic duplicates dropped) of
 * the rules of every other ClusterRole its selectors match, taken in name order, selector by
 * selector. The controller re-syncs whenever a ClusterRole changes, so aggregates of aggregates
 * settle; here the syncs are repeated until nothing changes (bounded by the number of roles).
 */
export function aggregateClusterRoles(roles: readonly Role[]): Role[] {
  const clusterRoles = roles.filter((r) => r.kind === 'ClusterRole').sort((a, b) => cmp(a.name, b.name));
  const current = new Map<string, Role>(clusterRoles.map((r) => [r.name, r]));
  const aggregated = clusterRoles.filter((r) => r.aggregationRule);
  for (let pass = 0; pass <= aggregated.length; pass++) {
    let changed = false;
    for (const role of aggregated) {
      const rules: PolicyRule[] = [];
      const sources: SourceRef[] = [];
      const seen = new Set<string>();
      for (const selector of role.aggregationRule ?? []) {
        for (const other of clusterRoles) {
          if (other.name === role.name || !selectorMatches(selector, other.labels)) continue;
          const now = current.get(other.name) as Role;
          now.rules.forEach((rule, i) => {
            const key = ruleKey(rule);
            if (seen.has(key)) return;
            seen.add(key);
            rules.push(rule);
            sources.push(now.ruleSources[i] ?? now.source);
          });
        }
      }
      const before = current.get(role.name) as Role;
      if (before.rules.map(ruleKey).join('\n') !== rules.map(ruleKey).join('\n')) {
        current.set(role.name, { ...before, rules, ruleSources: sources });
        changed = true;
      }
    }
    if (!changed) break;
  }
  return roles.map((r) => (r.kind === 'ClusterRole' ? (current.get(r.name) ?? r) : r));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
