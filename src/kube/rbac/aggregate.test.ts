import { describe, expect, it } from 'vitest';
import { aggregateClusterRoles } from './aggregate.js';
import { stronglyConnected } from './strongly-connected.js';
import type { PolicyRule, Role } from './types.js';

const source = { file: 'roles.yaml', line: 1 };
const rule = (resource: string): PolicyRule => ({
  verbs: ['get'],
  apiGroups: [''],
  resources: [resource],
  resourceNames: [],
  nonResourceURLs: [],
});

function clusterRole(
  name: string,
  labels: Record<string, string>,
  select?: string,
  rules: PolicyRule[] = [],
): Role {
  const role: Role = {
    kind: 'ClusterRole',
    name,
    labels,
    rules,
    ruleSources: rules.map(() => source),
    ...(select ? { aggregationRule: [{ matchLabels: { agg: select }, matchExpressions: [] }] } : {}),
    bootstrap: false,
    source,
  };
  return role;
}

const resourcesOf = (roles: readonly Role[], name: string) =>
  roles.find((r) => r.name === name)?.rules.map((r) => r.resources[0]);

describe('stronglyConnected', () => {
  it('returns components sinks first', () => {
    const edges: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['b', 'd'], d: [] };
    expect(stronglyConnected(['a', 'b', 'c', 'd'], (n) => edges[n]!)).toEqual([['d'], ['c', 'b'], ['a']]);
  });

  it('walks a chain of 100 000 nodes without recursion', () => {
    const n = 100_000;
    const out = stronglyConnected([0], (i) => (i + 1 < n ? [i + 1] : []));
    expect(out).toHaveLength(n);
    expect(out[0]).toEqual([n - 1]);
  });
});

describe('aggregateClusterRoles', () => {
  it('fills an aggregate of aggregates from the bottom up, in name order', () => {
    const roles = [
      clusterRole('admin', {}, 'admin'),
      clusterRole('edit', { agg: 'admin' }, 'edit'),
      clusterRole('x-secrets', { agg: 'edit' }, undefined, [rule('secrets')]),
      clusterRole('a-pods', { agg: 'edit' }, undefined, [rule('pods'), rule('secrets')]),
      clusterRole('z-nodes', { agg: 'admin' }, undefined, [rule('nodes')]),
    ];
    const out = aggregateClusterRoles(roles);
    expect(resourcesOf(out, 'edit')).toEqual(['pods', 'secrets']);
    expect(resourcesOf(out, 'admin')).toEqual(['pods', 'secrets', 'nodes']);
  });

  // the old fixed-point loop re-synced every role per pass: cubic, and a long cycle never settled
  it('settles a cycle of 5 000 aggregated roles, each with what the cycle selects', {
    timeout: 30_000,
  }, () => {
    const n = 5_000;
    const roles = Array.from({ length: n }, (_, i) =>
      clusterRole(`r${String(i).padStart(5, '0')}`, { agg: `g${i}` }, `g${(i + 1) % n}`, [rule(`res${i}`)]),
    );
    roles.push(clusterRole('plain', { agg: 'g0' }, undefined, [rule('extra')]));
    const out = aggregateClusterRoles(roles);
    const first = resourcesOf(out, 'r00000')!;
    expect(first).toHaveLength(n + 1);
    expect(resourcesOf(out, 'r04999')).toEqual(first);
  });

  it('fills a chain of 5 000 aggregates of aggregates', { timeout: 30_000 }, () => {
    const n = 5_000;
    const roles = Array.from({ length: n }, (_, i) => clusterRole(`c${i}`, { agg: `g${i}` }, `g${i + 1}`));
    roles.push(clusterRole('leaf', { agg: `g${n}` }, undefined, [rule('pods')]));
    const out = aggregateClusterRoles(roles);
    expect(resourcesOf(out, 'c0')).toEqual(['pods']);
  });

  // a real cluster's controller applies no `rules` field when nothing matches (5 SubjectAccessReview misses)
  it('leaves the written rules of an aggregated role whose selectors match nothing', () => {
    const roles = [
      clusterRole('lonely', {}, 'nobody', [rule('pods')]),
      clusterRole('unlabelled', {}, undefined, [rule('secrets')]),
    ];
    expect(resourcesOf(aggregateClusterRoles(roles), 'lonely')).toEqual(['pods']);
  });

  it('leaves the written rules when the matched roles have no rules', () => {
    const roles = [clusterRole('agg', {}, 'x', [rule('pods')]), clusterRole('empty', { agg: 'x' })];
    expect(resourcesOf(aggregateClusterRoles(roles), 'agg')).toEqual(['pods']);
  });

  it('replaces the written rules by the union as soon as a selector matches a rule', () => {
    const roles = [
      clusterRole('agg', {}, 'x', [rule('pods')]),
      clusterRole('member', { agg: 'x' }, undefined, [rule('nodes')]),
    ];
    expect(resourcesOf(aggregateClusterRoles(roles), 'agg')).toEqual(['nodes']);
  });

  it('passes the kept rules of an unmatched aggregate up to the aggregate selecting it', () => {
    const roles = [
      clusterRole('outer', {}, 'inner'),
      clusterRole('inner', { agg: 'inner' }, 'nobody', [rule('configmaps')]),
    ];
    expect(resourcesOf(aggregateClusterRoles(roles), 'outer')).toEqual(['configmaps']);
  });
});
