import { describe, expect, it } from 'vitest';
import { parseKubeText } from '../../src/kube/load/index.js';
import {
  Authorizer,
  type Binding,
  bootstrapPolicy,
  type PolicyRule,
  parseRbac,
  type Role,
  withDefaults,
} from '../../src/kube/rbac/index.js';
import { kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';
import { dumpRbac } from '../support/kube-rbac.js';

/**
 * The built-in v1.34 defaults (src/kube/rbac/bootstrap/v1-34.ts) against what a real v1.34.4 API
 * server creates at start-up: the same objects, labels, rules, role references and subjects.
 */
const skip = kubeSkipReason('rbac-defaults-real');

const ruleKey = (r: PolicyRule) =>
  JSON.stringify([r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs, r.verbs]);
const id = (o: Role | Binding) => `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
const roleShape = (r: Role) => ({
  labels: r.labels,
  aggregationRule: r.aggregationRule ?? null,
  rules: r.aggregationRule ? null : r.rules.map(ruleKey),
});
const bindingShape = (b: Binding) => ({ labels: {}, roleRef: b.roleRef, subjects: b.subjects });

describe.skipIf(skip)('the built-in RBAC defaults against the real kube-apiserver v1.34', () => {
  it('holds exactly the objects the server creates, with the same rules, labels and subjects', async () => {
    const kube = await kubeApiServer();
    const text = await dumpRbac(kube, { labelSelector: 'kubernetes.io/bootstrapping=rbac-defaults' });
    const live = parseRbac(parseKubeText(text, 'live.json').resources);
    expect(live.errors).toEqual([]);
    const { policy } = bootstrapPolicy(34);
    const ours = new Map<string, Role | Binding>(
      [...policy.clusterRoles, ...policy.roles, ...policy.clusterRoleBindings, ...policy.roleBindings].map(
        (o) => [id(o), o],
      ),
    );
    const theirs = new Map<string, Role | Binding>(
      [...live.model.roles, ...live.model.bindings].map((o) => [id(o), o]),
    );
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    expect(theirs.size).toBe(68 + 49 + 7 + 7);
    for (const [key, mine] of ours) {
      const real = theirs.get(key)!;
      if ('rules' in mine) expect({ key, ...roleShape(mine) }).toEqual({ key, ...roleShape(real as Role) });
      else expect({ key, ...bindingShape(mine) }).toEqual({ key, ...bindingShape(real as Binding) });
    }
  });

  it("aggregates admin, edit and view to the controller's rules", async () => {
    const kube = await kubeApiServer();
    // every ClusterRole of the server: other tests may have added roles aggregated into view
    const live = parseRbac(
      parseKubeText(await dumpRbac(kube, { kinds: ['clusterroles'] }), 'live.json').resources,
    ).model;
    const controller = new Map(live.roles.map((r) => [r.name, r.rules.map(ruleKey).sort()]));
    const stripped = { ...live, roles: live.roles.map((r) => (r.aggregationRule ? { ...r, rules: [] } : r)) };
    const strata = new Authorizer(withDefaults(stripped, { k8sVersion: 'none' }).model);
    for (const name of ['admin', 'edit', 'view']) {
      const rules = strata.clusterRole(name)!.rules.map(ruleKey).sort();
      expect(rules.length).toBeGreaterThan(10);
      expect({ name, rules }).toEqual({ name, rules: controller.get(name) });
    }
  });
});
