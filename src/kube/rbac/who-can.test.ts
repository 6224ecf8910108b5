import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { identityOf } from './identity.js';
import { resourceRequest } from './match.js';
import { authorizerOf } from './testing.js';
import type { Request, Subject } from './types.js';
import { whoCan } from './who-can.js';

const names = (subjects: ReturnType<typeof whoCan>) =>
  subjects.map((s) => `${s.kind}:${s.namespace ? `${s.namespace}:` : ''}${s.name}`);

const CLUSTER = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-a}
rules:
- {apiGroups: [""], resources: [secrets], resourceNames: [a], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: scaler}
rules:
- {apiGroups: ["*"], resources: ["*/scale"], verbs: [update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: apps-writer}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules:
- {nonResourceURLs: ["/metrics", "/debug/*"], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: exec, namespace: dev}
rules:
- {apiGroups: [""], resources: [pods/exec], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everyone-reads-pods}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects:
- {kind: Group, name: ops}
- {kind: ServiceAccount, name: no-namespace}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-readers, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects:
- {kind: User, name: alice}
- {kind: ServiceAccount, name: ci}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-exec, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec}
subjects:
- {kind: User, name: alice}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: prod-exec, namespace: prod}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec}
subjects:
- {kind: User, name: bob}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: secret-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-a}
subjects: [{kind: User, name: carol}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: scaler}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: scaler}
subjects: [{kind: ServiceAccount, name: hpa, namespace: kube-system}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: apps, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: apps-writer}
subjects: [{kind: Group, name: "system:serviceaccounts:dev"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
subjects: [{kind: User, name: prometheus}]
`;

describe('who-can', () => {
  const authz = authorizerOf(CLUSTER);
  const r = (verb: string, res: string, o: Parameters<typeof resourceRequest>[2] = {}) =>
    resourceRequest(verb, res, o);

  it.each<[string, Request, string[]]>([
    ['a cluster-wide request sees ClusterRoleBindings only', r('list', 'pods'), ['Group:ops']],
    [
      'a RoleBinding to a ClusterRole grants in its namespace',
      r('list', 'pods', { namespace: 'dev' }),
      ['Group:ops', 'ServiceAccount:dev:ci', 'User:alice'],
    ],
    ['... and not in another namespace', r('list', 'pods', { namespace: 'prod' }), ['Group:ops']],
    [
      'a RoleBinding to a Role: its namespace only',
      r('create', 'pods/exec', { namespace: 'dev' }),
      ['User:alice'],
    ],
    [
      'the same Role name in another namespace does not exist there',
      r('create', 'pods/exec', { namespace: 'prod' }),
      [],
    ],
    [
      'a subresource rule',
      r('get', 'pods/log', { namespace: 'dev' }),
      ['Group:ops', 'ServiceAccount:dev:ci', 'User:alice'],
    ],
    ['a resource rule does not grant a subresource', r('create', 'pods/exec'), []],
    ['resourceNames: the named object', r('get', 'secrets', { namespace: 'x', name: 'a' }), ['User:carol']],
    ['resourceNames: another object', r('get', 'secrets', { namespace: 'x', name: 'b' }), []],
    ['resourceNames: no name (list)', r('get', 'secrets', { namespace: 'x' }), []],
    [
      '*/scale in any group',
      r('update', 'statefulsets/scale', { apiGroup: 'apps', namespace: 'x' }),
      ['ServiceAccount:kube-system:hpa'],
    ],
    ['*/scale is not the resource', r('update', 'statefulsets', { apiGroup: 'apps', namespace: 'x' }), []],
    [
      'apiGroups: apps rule, apps request',
      r('delete', 'deployments', { apiGroup: 'apps', namespace: 'dev' }),
      ['Group:system:serviceaccounts:dev'],
    ],
    ['apiGroups: apps rule, core request', r('delete', 'deployments', { namespace: 'dev' }), []],
    ['nonResourceURLs exact', { type: 'nonResource', verb: 'get', path: '/metrics' }, ['User:prometheus']],
    [
      'nonResourceURLs prefix',
      { type: 'nonResource', verb: 'get', path: '/debug/pprof/heap' },
      ['User:prometheus'],
    ],
    ['nonResourceURLs other verb', { type: 'nonResource', verb: 'post', path: '/metrics' }, []],
  ])('%s', (_name, req, expected) => {
    expect(names(whoCan(authz, req))).toEqual(expected);
  });

  it('names every binding and role that allows a subject, sorted', () => {
    const [alice] = whoCan(authz, r('get', 'pods', { namespace: 'dev' })).filter((s) => s.name === 'alice');
    expect(alice?.via).toEqual([{ binding: 'RoleBinding/dev/dev-readers', role: 'ClusterRole/pod-reader' }]);
  });

  it('never lists a ServiceAccount subject of a ClusterRoleBinding without a namespace', () => {
    expect(names(whoCan(authz, r('get', 'pods'))).some((n) => n.includes('no-namespace'))).toBe(false);
  });

  describe('agrees with the authorizer for every subject', () => {
    const subjects: Subject[] = [
      { kind: 'User', name: 'alice' },
      { kind: 'User', name: 'bob' },
      { kind: 'User', name: 'carol' },
      { kind: 'Group', name: 'ops' },
      { kind: 'ServiceAccount', namespace: 'dev', name: 'ci' },
      { kind: 'ServiceAccount', namespace: 'dev', name: 'other' },
      { kind: 'ServiceAccount', namespace: 'kube-system', name: 'hpa' },
    ];
    const requests: Request[] = ['get', 'list', 'create', 'update', 'delete'].flatMap((verb) =>
      ['pods', 'pods/exec', 'pods/log', 'secrets', 'deployments', 'deployments/scale'].flatMap((res) =>
        ['', 'dev', 'prod'].flatMap((namespace) =>
          ['', 'apps'].flatMap((apiGroup) =>
            ['', 'a'].map((name) => r(verb, res, { namespace, apiGroup, name })),
          ),
        ),
      ),
    );
    it.each(subjects)('$kind $name', (subject) => {
      for (const req of requests) {
        const listed = whoCan(authz, req);
        const direct = listed.some(
          (s) => s.kind === subject.kind && s.name === subject.name && s.namespace === subject.namespace,
        );
        const id = identityOf(subject);
        const viaGroup = listed.some((s) => s.kind === 'Group' && id.groups.includes(s.name));
        const allowed = authz.authorize(id, req).length > 0;
        expect(allowed, JSON.stringify(req)).toBe(direct || viaGroup);
      }
    });
  });
});

describe('ClusterRole aggregation (upstream default roles)', () => {
  const fixture = fileURLToPath(new URL('./fixtures/bootstrap-aggregation.yaml', import.meta.url));
  const yaml = readFileSync(fixture, 'utf8');
  const bindings = `
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: admins, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
subjects: [{kind: User, name: ann}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: editors, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: ed}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: vic}]
`;
  const authz = authorizerOf(yaml + bindings);

  it('fills view from system:aggregate-to-view, edit from view and aggregate-to-edit, admin from edit', () => {
    const count = (n: string) => authz.clusterRole(n)?.rules.length;
    expect(count('view')).toBe(2);
    expect(count('edit')).toBe(5 + 2);
    expect(count('admin')).toBe(2 + 7);
  });

  it.each<[string, Request, string[]]>([
    [
      'view: get pods',
      resourceRequest('get', 'pods', { namespace: 'team' }),
      ['User:ann', 'User:ed', 'User:vic'],
    ],
    [
      'edit: create pods/exec',
      resourceRequest('create', 'pods/exec', { namespace: 'team' }),
      ['User:ann', 'User:ed'],
    ],
    [
      'admin: create rolebindings',
      resourceRequest('create', 'rolebindings', { namespace: 'team', apiGroup: 'rbac.authorization.k8s.io' }),
      ['User:ann'],
    ],
    ['outside the namespace: nobody', resourceRequest('get', 'pods', { namespace: 'other' }), []],
    [
      'view never reads secrets',
      resourceRequest('get', 'secrets', { namespace: 'team' }),
      ['User:ann', 'User:ed'],
    ],
  ])('%s', (_name, req, expected) => {
    expect(names(whoCan(authz, req))).toEqual(expected);
  });

  it('settles aggregation cycles without looping', () => {
    const cyclic = authorizerOf(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: a, labels: {agg: b}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: a}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: b, labels: {agg: a}}
aggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: agg, operator: In, values: [b]}]}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: c, labels: {agg: a}}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
`);
    expect(cyclic.clusterRole('a')?.rules.map((x) => x.resources)).toEqual([['configmaps']]);
    expect(cyclic.clusterRole('b')?.rules.map((x) => x.resources)).toEqual([['configmaps']]);
  });
});
