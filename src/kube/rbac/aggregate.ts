import { selectorMatches } from './selector.js';
import { stronglyConnected } from './strongly-connected.js';
import type { LabelSelector, PolicyRule, Role, SourceRef } from './types.js';

const ruleKeys = new WeakMap<PolicyRule, string>();
const ruleKey = (r: PolicyRule): string => {
  let key = ruleKeys.get(r);
  if (key === undefined) {
    key = JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
    ruleKeys.set(r, key);
  }
  return key;
};

/**
 * ClusterRole aggregation as `pkg/controller/clusterroleaggregation` settles it: an aggregated
 * ClusterRole's rules become the union (first occurrence kept, semantic duplicates dropped) of
 * the rules of every other ClusterRole its selectors match, taken in name order, selector by
 * selector; an aggregate of aggregates takes their aggregated rules.
 *
 * Computed once per role, sinks first (strongly connected components in reverse topological
 * order), instead of re-syncing every role until nothing changes (cubic, and a long cycle never
 * settled). Roles that aggregate each other in a cycle, which the controller keeps rewriting,
 * all get the union of what the cycle's members select (their own written rules included).
 */
export function aggregateClusterRoles(roles: readonly Role[]): Role[] {
  const clusterRoles = roles.filter((r) => r.kind === 'ClusterRole').sort((a, b) => cmp(a.name, b.name));
  const aggregated = clusterRoles.filter((r) => r.aggregationRule);
  const matches = matchesOf(aggregated, clusterRoles);
  const final = new Map<string, Role>();
  const current = (r: Role) => final.get(r.name) ?? r;
  const components = stronglyConnected(aggregated, (r) =>
    matches.get(r)!.filter((m) => m.aggregationRule !== undefined),
  );
  for (const component of components) {
    const members = new Set(component);
    const union = new RuleUnion();
    for (const role of [...component].sort((a, b) => cmp(a.name, b.name))) {
      const own = members.size === 1 ? new RuleUnion() : union;
      for (const other of matches.get(role)!) own.add(members.has(other) ? other : current(other));
      if (members.size === 1) final.set(role.name, own.applyTo(role));
    }
    if (members.size > 1) for (const role of component) final.set(role.name, union.applyTo(role));
  }
  return roles.map((r) => (r.kind === 'ClusterRole' ? (final.get(r.name) ?? r) : r));
}

/** For each aggregated role, the other ClusterRoles its selectors match, selector by selector, in name order. */
function matchesOf(aggregated: readonly Role[], clusterRoles: readonly Role[]): Map<Role, Role[]> {
  const byLabel = new Map<string, Role[]>();
  for (const role of clusterRoles) {
    for (const [k, v] of Object.entries(role.labels)) {
      const key = `${k}\0${v}`;
      const list = byLabel.get(key) ?? [];
      list.push(role);
      byLabel.set(key, list);
    }
  }
  // a selector with matchLabels only looks at the roles carrying its rarest label
  const candidates = (selector: LabelSelector): readonly Role[] => {
    let best: readonly Role[] = clusterRoles;
    for (const [k, v] of Object.entries(selector.matchLabels)) {
      const list = byLabel.get(`${k}\0${v}`) ?? [];
      if (list.length < best.length) best = list;
    }
    return best;
  };
  const out = new Map<Role, Role[]>();
  for (const role of aggregated) {
    const list: Role[] = [];
    for (const selector of role.aggregationRule ?? []) {
      for (const other of candidates(selector)) {
        if (other.name !== role.name && selectorMatches(selector, other.labels)) list.push(other);
      }
    }
    out.set(role, list);
  }
  return out;
}

/** Rules in first-seen order without semantic duplicates, each with its source line. */
class RuleUnion {
  private readonly seen = new Set<string>();
  private readonly rules: PolicyRule[] = [];
  private readonly sources: SourceRef[] = [];

  add(role: Role): void {
    role.rules.forEach((rule, i) => {
      const key = ruleKey(rule);
      if (this.seen.has(key)) return;
      this.seen.add(key);
      this.rules.push(rule);
      this.sources.push(role.ruleSources[i] ?? role.source);
    });
  }

  /** The role with the union as its rules; an empty union leaves the written rules (see above). */
  applyTo(role: Role): Role {
    if (this.rules.length === 0) return role;
    return { ...role, rules: [...this.rules], ruleSources: [...this.sources] };
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
