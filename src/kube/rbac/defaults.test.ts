import { describe, expect, it } from 'vitest';
import { parseKubeText } from '../load/index.js';
import { analyzeRbac } from './analyze.js';
import { Authorizer } from './authorizer.js';
import { bootstrapPolicy, parseK8sVersion } from './bootstrap/index.js';
import { withDefaults } from './defaults.js';
import { RbacError } from './errors.js';
import { identityOf } from './identity.js';
import { resourceRequest } from './match.js';
import { parseRbac } from './parse.js';
import { whoCan } from './who-can.js';

const BINDING_ONLY = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ops, namespace: tools}]
`;

const modelOf = (yaml: string) => parseRbac(parseKubeText(yaml, 'in.yaml').resources).model;
const authorizerWithDefaults = (yaml: string, k8sVersion?: string) =>
  new Authorizer(withDefaults(modelOf(yaml), k8sVersion ? { k8sVersion } : {}).model);
const allowed = (authz: Authorizer, user: string, verb: string, resource: string, namespace = 'shop') =>
  authz.authorize(identityOf({ kind: 'User', name: user }), resourceRequest(verb, resource, { namespace }))
    .length > 0;

describe('bootstrapPolicy', () => {
  it('holds the default ClusterRoles, ClusterRoleBindings, Roles and RoleBindings of v1.34, all marked bootstrap', () => {
    const { policy } = bootstrapPolicy('latest');
    expect(policy.version).toBe('v1.34+');
    // as a v1.34.4 API server creates them (test/integration/rbac-real-apiserver.test.ts compares)
    expect(policy.clusterRoles).toHaveLength(68);
    expect(policy.clusterRoleBindings).toHaveLength(49);
    expect(policy.roles.map((r) => `${r.namespace}/${r.name}`)).toContain(
      'kube-system/extension-apiserver-authentication-reader',
    );
    expect(policy.roleBindings.map((b) => `${b.namespace}/${b.name}`).sort()).toEqual([
      'kube-public/system:controller:bootstrap-signer',
      'kube-system/system::extension-apiserver-authentication-reader',
      'kube-system/system::leader-locking-kube-controller-manager',
      'kube-system/system::leader-locking-kube-scheduler',
      'kube-system/system:controller:bootstrap-signer',
      'kube-system/system:controller:cloud-provider',
      'kube-system/system:controller:token-cleaner',
    ]);
    expect([...policy.roles, ...policy.roleBindings].every((o) => o.bootstrap)).toBe(true);
    const roles = policy.clusterRoles.map((r) => r.name);
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user'])
      expect(roles).toContain(name);
    expect(roles).toContain('system:public-info-viewer');
    expect([...policy.clusterRoles, ...policy.clusterRoleBindings].every((o) => o.bootstrap)).toBe(true);
    const view = policy.clusterRoles.find((r) => r.name === 'view');
    expect(view?.labels['rbac.authorization.k8s.io/aggregate-to-edit']).toBe('true');
    expect(view?.aggregationRule?.[0]?.matchLabels).toEqual({
      'rbac.authorization.k8s.io/aggregate-to-view': 'true',
    });
    const publicInfo = policy.clusterRoleBindings.find((b) => b.name === 'system:public-info-viewer');
    expect(publicInfo?.subjects.map((s) => s.name)).toEqual([
      'system:authenticated',
      'system:unauthenticated',
    ]);
  });

  it('is parsed once and shared', () => {
    expect(bootstrapPolicy('latest').policy).toBe(bootstrapPolicy(35).policy);
    expect(bootstrapPolicy(30).policy).toBe(bootstrapPolicy(27).policy);
  });

  it('keeps the older v1.27+ set (upstream test data, without the controller roles) for v1.27 to v1.33', () => {
    const { policy } = bootstrapPolicy(33);
    expect(policy.version).toBe('v1.27+');
    expect(policy.clusterRoles).toHaveLength(31);
    expect(policy.clusterRoleBindings).toHaveLength(12);
    expect(policy.roles).toEqual([]);
  });

  it('says so when an older version has no stored set of its own', () => {
    expect(bootstrapPolicy(20).note).toMatch(
      /no built-in RBAC defaults stored for v1\.20; using the v1\.27\+ set/,
    );
    expect(bootstrapPolicy(31).note).toBeUndefined();
  });
});

describe('parseK8sVersion', () => {
  it.each([
    ['latest', 'latest'],
    ['none', 'none'],
    ['1.30', 30],
    ['v1.29', 29],
    ['v1.28.3', 28],
  ] as const)('reads %s', (text, version) => {
    expect(parseK8sVersion(text)).toBe(version);
  });

  it.each(['', '2.0', 'v1', '1.x', 'newest'])('refuses %j', (text) => {
    expect(() => parseK8sVersion(text)).toThrow(RbacError);
  });
});

describe('withDefaults', () => {
  it("makes a binding to cluster-admin grant everything, and who-can delete '*' answer as a cluster does", () => {
    const authz = authorizerWithDefaults(BINDING_ONLY);
    expect(authz.errors).toEqual([]);
    const subjects = whoCan(authz, resourceRequest('delete', '*', {}));
    // besides cluster-admin, two controllers may delete anything (apiGroups/resources '*')
    expect(subjects.map((s) => `${s.kind}:${s.namespace ?? ''}/${s.name}`).sort()).toEqual([
      'Group:/system:masters',
      'ServiceAccount:kube-system/generic-garbage-collector',
      'ServiceAccount:kube-system/namespace-controller',
      'ServiceAccount:tools/ops',
    ]);
  });

  it('adds the Roles and RoleBindings of kube-system, so the controller manager may read the authentication config', () => {
    const authz = authorizerWithDefaults('');
    const req = resourceRequest('get', 'configmaps', {
      namespace: 'kube-system',
      name: 'extension-apiserver-authentication',
    });
    const who = whoCan(authz, req).map((s) => `${s.kind}:${s.name}`);
    expect(who).toEqual(
      expect.arrayContaining(['User:system:kube-controller-manager', 'User:system:kube-scheduler']),
    );
    const other = resourceRequest('get', 'configmaps', { namespace: 'kube-system', name: 'other' });
    expect(whoCan(authz, other).map((s) => s.name)).not.toContain('system:kube-scheduler');
  });

  it('aggregates the built-in admin, edit and view as the controller does', () => {
    const authz = authorizerWithDefaults('');
    const view = authz.clusterRole('view')!;
    const edit = authz.clusterRole('edit')!;
    const admin = authz.clusterRole('admin')!;
    expect(view.rules.length).toBeGreaterThan(0);
    expect(edit.rules.length).toBeGreaterThan(view.rules.length);
    expect(admin.rules.length).toBeGreaterThan(edit.rules.length);
    const can = (role: typeof view, verb: string, resource: string) =>
      authz.allowingRule(role, resourceRequest(verb, resource, { namespace: 'x' })) >= 0;
    expect(can(view, 'get', 'pods')).toBe(true);
    expect(can(view, 'get', 'secrets')).toBe(false);
    expect(can(edit, 'get', 'secrets')).toBe(true);
    expect(can(edit, 'create', 'rolebindings')).toBe(false);
    expect(can(admin, 'create', 'pods/exec')).toBe(true);
  });

  it("puts the input's ClusterRoles with aggregate-to labels into the built-in view, edit and admin", () => {
    const authz = authorizerWithDefaults(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: widgets-view, labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}
rules: [{apiGroups: [example.com], resources: [widgets], verbs: [get]}]
`);
    const req = resourceRequest('get', 'widgets', { namespace: 'x', apiGroup: 'example.com' });
    for (const name of ['view', 'edit', 'admin'])
      expect(authz.allowingRule(authz.clusterRole(name)!, req)).toBeGreaterThanOrEqual(0);
  });

  it("keeps the input's own copy of a default object and adds only the missing ones", () => {
    const { model, defaults } = withDefaults(
      modelOf(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
`),
    );
    expect(model.roles.filter((r) => r.name === 'cluster-admin')).toHaveLength(1);
    expect(model.roles.find((r) => r.name === 'cluster-admin')?.source.file).toBe('in.yaml');
    expect(defaults?.clusterRoles).not.toContain('cluster-admin');
    expect(defaults?.clusterRoles).toHaveLength(67);
    expect(defaults?.clusterRoleBindings).toContain('cluster-admin');
    expect(defaults?.roleBindings).toContain('kube-system/system::extension-apiserver-authentication-reader');
  });

  it("keeps the input's own copy of a namespaced default Role and names only the added ones", () => {
    const { model, defaults } = withDefaults(
      modelOf(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: extension-apiserver-authentication-reader, namespace: kube-system}
rules: []
`),
    );
    const readers = model.roles.filter((r) => r.name === 'extension-apiserver-authentication-reader');
    expect(readers.map((r) => r.source.file)).toEqual(['in.yaml']);
    expect(defaults?.roles).not.toContain('kube-system/extension-apiserver-authentication-reader');
    expect(defaults?.roles).toHaveLength(6);
    expect(defaults?.roleBindings).toHaveLength(7);
    const authz = new Authorizer(model);
    const req = resourceRequest('get', 'configmaps', {
      namespace: 'kube-system',
      name: 'extension-apiserver-authentication',
    });
    expect(whoCan(authz, req).map((s) => s.name)).not.toContain('system:kube-scheduler');
  });

  it('gives every authenticated user discovery and basic-user, and anonymous only the public info', () => {
    const authz = authorizerWithDefaults('');
    const discovery = { type: 'nonResource', verb: 'get', path: '/apis' } as const;
    const version = { type: 'nonResource', verb: 'get', path: '/version' } as const;
    expect(authz.authorize(identityOf({ kind: 'User', name: 'alice' }), discovery)).not.toEqual([]);
    expect(authz.authorize(identityOf({ kind: 'User', name: 'system:anonymous' }), discovery)).toEqual([]);
    expect(authz.authorize(identityOf({ kind: 'User', name: 'system:anonymous' }), version)).not.toEqual([]);
    const review = resourceRequest('create', 'selfsubjectaccessreviews', {
      apiGroup: 'authorization.k8s.io',
    });
    expect(authz.authorize(identityOf({ kind: 'User', name: 'alice' }), review)).not.toEqual([]);
    expect(allowed(authz, 'alice', 'get', 'pods')).toBe(false);
  });

  it('adds nothing with none, or when the input holds every default', () => {
    const model = modelOf(BINDING_ONLY);
    expect(withDefaults(model, { k8sVersion: 'none' })).toEqual({ model });
    const full = withDefaults(model).model;
    expect(withDefaults(full)).toEqual({ model: full });
  });
});

describe('analyzeRbac with the defaults', () => {
  it('reports the binding to cluster-admin and nothing on the defaults themselves', () => {
    const { findings, errors, defaults } = analyzeRbac(parseKubeText(BINDING_ONLY, 'in.yaml').resources);
    expect(errors).toEqual([]);
    expect(defaults?.kubernetesVersion).toBe('v1.34+');
    expect(findings.map((f) => f.id)).toContain('RBAC-CLUSTER-ADMIN');
    expect(findings.every((f) => f.location.path === 'in.yaml')).toBe(true);
  });

  it('without them, the binding grants nothing and is an error', () => {
    const { findings, errors } = analyzeRbac(parseKubeText(BINDING_ONLY, 'in.yaml').resources, {
      k8sVersion: 'none',
    });
    expect(findings.map((f) => f.id)).not.toContain('RBAC-CLUSTER-ADMIN');
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/ClusterRole\/cluster-admin, which is not in the input/),
    ]);
  });
});
