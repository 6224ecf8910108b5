import { describe, expect, it } from 'vitest';
import { prng } from '../../core/testing/prng.js';
import { parseKubeText } from '../load/index.js';
import { Authorizer } from './authorizer.js';
import { withDefaults } from './defaults.js';
import { escalationFindings } from './escalation.js';
import { parseRbac } from './parse.js';
import { referenceEscalationFindings } from './testing/escalation-reference.js';

// Differential test: the indexed escalation search (escalation.ts) against the search it replaced
// (testing/escalation-reference.ts, every edge materialised and every rule scanned per question),
// on seeded random RBAC sets built to exercise it: pod and workload creation, tokens and
// impersonation by service account name (resourceNames), wildcards, aggregation, RoleBindings to
// ClusterRoles, group subjects that cover service accounts, chains over several namespaces.
// The findings (ids, titles, locations, evidence, order) must be identical.

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const some = <T>(r: Rand, xs: readonly T[], max = 3): T[] => {
  const n = 1 + Math.floor(r() * max);
  return [...new Set(Array.from({ length: n }, () => pick(r, xs)))];
};

const RBAC = 'rbac.authorization.k8s.io';
const VERBS = [
  'create',
  'create',
  'get',
  'get',
  'list',
  'watch',
  'impersonate',
  'escalate',
  'bind',
  'patch',
  '*',
];
const GROUPS = ['', '', '', 'apps', 'batch', RBAC, 'authentication.k8s.io', '*'];
const RESOURCES = [
  'pods',
  'pods',
  'pods/exec',
  'deployments',
  'jobs',
  'cronjobs',
  'replicationcontrollers',
  'secrets',
  'secrets',
  'serviceaccounts',
  'serviceaccounts/token',
  'serviceaccounts/token',
  '*/token',
  'users',
  'groups',
  'uids',
  'roles',
  'clusterroles',
  '*',
];

function randomSet(seed: number): string {
  const r = prng(seed);
  const nsCount = 1 + Math.floor(r() * 5);
  const ns = Array.from({ length: nsCount }, (_, i) => `ns${i}`);
  const saNames = ['default', 'sa0', 'sa1', 'sa2', 'builder'];
  const docs: Record<string, unknown>[] = [];
  const rule = () => ({
    apiGroups: some(r, GROUPS, 2),
    resources: some(r, RESOURCES),
    verbs: some(r, VERBS),
    ...(r() < 0.25 ? { resourceNames: some(r, [...saNames, 'other', ''], 2) } : {}),
  });
  const rules = () => Array.from({ length: 1 + Math.floor(r() * 3) }, rule);
  const crCount = 3 + Math.floor(r() * 8);
  const clusterRoles: string[] = [];
  for (let i = 0; i < crCount; i++) {
    const name = `cr${i}`;
    clusterRoles.push(name);
    const labels = r() < 0.3 ? { agg: pick(r, ['x', 'y']) } : {};
    if (r() < 0.15)
      docs.push({
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name, labels },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: pick(r, ['x', 'y']) } }] },
      });
    else
      docs.push({
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name, labels },
        rules: rules(),
      });
  }
  const roles = new Map<string, string[]>();
  for (const n of ns) {
    const names = Array.from({ length: Math.floor(r() * 3) }, (_, i) => `role${i}`);
    roles.set(n, names);
    for (const name of names)
      docs.push({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name, namespace: n }, rules: rules() });
    if (r() < 0.5)
      docs.push({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: pick(r, saNames), namespace: n },
      });
  }
  const subject = (bindingNs?: string) => {
    const x = r();
    if (x < 0.25) return { kind: 'User', apiGroup: RBAC, name: pick(r, ['alice', 'bob', 'carol', 'dave']) };
    if (x < 0.3) {
      const n = pick(r, ns);
      return { kind: 'User', apiGroup: RBAC, name: `system:serviceaccount:${n}:${pick(r, saNames)}` };
    }
    if (x < 0.45) {
      const name = pick(r, [
        'devs',
        'ops',
        'system:authenticated',
        'system:serviceaccounts',
        `system:serviceaccounts:${pick(r, ns)}`,
        'system:masters',
      ]);
      return { kind: 'Group', apiGroup: RBAC, name };
    }
    return {
      kind: 'ServiceAccount',
      name: pick(r, saNames),
      namespace: r() < 0.6 && bindingNs ? bindingNs : pick(r, ns),
    };
  };
  const subjects = (bindingNs?: string) =>
    Array.from({ length: 1 + Math.floor(r() * 3) }, () => subject(bindingNs));
  const crbCount = 1 + Math.floor(r() * 6);
  for (let i = 0; i < crbCount; i++)
    docs.push({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: `crb${i}` },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: r() < 0.05 ? 'missing' : pick(r, clusterRoles) },
      subjects: subjects(),
    });
  const rbCount = 2 + Math.floor(r() * 12);
  for (let i = 0; i < rbCount; i++) {
    const n = pick(r, ns);
    const local = roles.get(n) ?? [];
    const toRole = local.length > 0 && r() < 0.5;
    docs.push({
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: `rb${i}`, namespace: n },
      roleRef: {
        apiGroup: RBAC,
        kind: toRole ? 'Role' : 'ClusterRole',
        name: toRole ? pick(r, local) : pick(r, clusterRoles),
      },
      subjects: subjects(n),
    });
  }
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

function authorizers(text: string): Authorizer[] {
  const loaded = parseKubeText(text, 'random.yaml');
  expect(loaded.errors).toEqual([]);
  const { model } = parseRbac(loaded.resources);
  return [new Authorizer(model), new Authorizer(withDefaults(model, {}).model)];
}

describe('escalation search: indexed against the reference search', () => {
  it('finds identical findings on 400 seeded random RBAC sets (with and without the defaults)', () => {
    let withFindings = 0;
    let multiStep = 0;
    const kinds = { pods: 0, token: 0, impersonate: 0 };
    for (let seed = 1; seed <= 400; seed++) {
      for (const authz of authorizers(randomSet(seed))) {
        const expected = referenceEscalationFindings(authz);
        const actual = escalationFindings(authz);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          // the full diff only for the first difference
          expect({ seed, findings: actual }).toEqual({ seed, findings: expected });
        }
        if (expected.length) withFindings++;
        if (expected.some((f) => 'steps' in f.evidence && f.evidence.steps.length > 1)) multiStep++;
        for (const f of expected)
          for (const s of 'steps' in f.evidence ? f.evidence.steps : []) {
            if (s.action.startsWith('can create a token')) kinds.token++;
            else if (s.action.startsWith('can impersonate')) kinds.impersonate++;
            else kinds.pods++;
          }
      }
    }
    // the sets are not trivially empty: most have chains, many over several steps
    expect(withFindings).toBeGreaterThan(250);
    expect(multiStep).toBeGreaterThan(40);
    // every kind of step occurs: workload creation, tokens and impersonation by name
    expect(kinds.pods).toBeGreaterThan(500);
    expect(kinds.token).toBeGreaterThan(100);
    expect(kinds.impersonate).toBeGreaterThan(10);
  }, 120_000);
});
