import { describe, expect, it } from 'vitest';
import { parseKubeText } from '../load/index.js';
import { parseRbac } from './parse.js';

const parse = (yaml: string) => parseRbac(parseKubeText(yaml, 'rbac.yaml').resources);

const role = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
  - verbs: [get]
    resources: [pods]
`;

describe('parseRbac', () => {
  it('reads roles and bindings, defaulting a RoleBinding ServiceAccount to its namespace', () => {
    const { model, errors } = parse(`${role}---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: b, namespace: apps }
roleRef: { kind: ClusterRole, name: reader }
subjects:
  - { kind: ServiceAccount, name: sa }
`);
    expect(errors).toEqual([]);
    expect(model.roles[0]?.rules[0]).toMatchObject({ verbs: ['get'], resources: ['pods'], apiGroups: [] });
    expect(model.bindings[0]?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'sa', namespace: 'apps' }]);
  });

  describe('when an object has a malformed field', () => {
    it.each([
      [
        'a verb that is not a string',
        role.replace('[get]', '[get, 3]'),
        'line 6: ClusterRole/reader: rules[0].verbs[1]: expected string, got number',
      ],
      [
        'rules that are not a list',
        role.replace('rules:\n  - verbs: [get]\n    resources: [pods]', 'rules: all'),
        'line 5: ClusterRole/reader: rules: expected array, got string',
      ],
      [
        'an unknown selector operator',
        `${role}aggregationRule:\n  clusterRoleSelectors:\n    - matchExpressions: [{ key: a, operator: Equals }]\n`,
        'ClusterRole/reader: aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: expected In, NotIn, Exists or DoesNotExist, got "Equals"',
      ],
      [
        'a ClusterRoleBinding to a Role',
        `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: b }
roleRef: { kind: Role, name: reader }
`,
        'line 4: ClusterRoleBinding/b: roleRef.kind: expected ClusterRole, got "Role"',
      ],
      [
        'an unknown subject kind',
        `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: b }
roleRef: { kind: ClusterRole, name: reader }
subjects:
  - { kind: Robot, name: r2 }
`,
        'line 6: ClusterRoleBinding/b: subjects[0].kind: expected User, Group or ServiceAccount, got "Robot"',
      ],
    ])('reports %s with its line and field, and leaves the object out', (_n, yaml, message) => {
      const { model, errors } = parse(yaml);
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(message)]);
      expect(model.roles.length + model.bindings.length).toBe(0);
    });
  });
});
