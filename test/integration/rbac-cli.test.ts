import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerRbac } from '../../src/cli/commands/rbac.js';
import { runCommand } from '../support/cli-in-process.js';

/** Runs the command in-process. */
const strata = (...args: string[]) => runCommand(registerRbac, args);

const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-admin, labels: {rbac.example.com/aggregate-to-ops: "true"}}
rules:
- {apiGroups: [""], resources: [pods, pods/exec], verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ops}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {rbac.example.com/aggregate-to-ops: "true"}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ops, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ops}
subjects:
- {kind: Group, name: shop-ops}
- {kind: ServiceAccount, name: deployer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: backup}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{kind: ServiceAccount, name: backup, namespace: shop}]
`;

describe('strata rbac (CLI)', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-rbac-'));
    file = join(dir, 'rbac.yaml');
    writeFileSync(file, RBAC);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('who-can answers with every subject and the binding and role, as JSON', async () => {
    const { code, stdout } = await strata(
      'rbac',
      'who-can',
      'create',
      'pods/exec',
      '-n',
      'shop',
      file,
      '--format',
      'json',
      '-q',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      subjects: [
        {
          kind: 'Group',
          name: 'shop-ops',
          via: [{ binding: 'RoleBinding/shop/ops', role: 'ClusterRole/ops' }],
        },
        {
          kind: 'ServiceAccount',
          name: 'deployer',
          namespace: 'shop',
          via: [{ binding: 'RoleBinding/shop/ops', role: 'ClusterRole/ops' }],
        },
      ],
    });
  });

  it('who-can without -n asks cluster-wide (ClusterRoleBindings only)', async () => {
    const { stdout } = await strata('rbac', 'who-can', 'list', 'secrets', file, '-f', 'json', '-q');
    expect(JSON.parse(stdout).subjects.map((s: { name: string }) => s.name)).toEqual(['backup']);
    const none = await strata('rbac', 'who-can', 'create', 'pods', file, '-f', 'json', '-q');
    expect(JSON.parse(none.stdout)).toEqual({ subjects: [] });
  });

  it('who-can prints a table by default', async () => {
    const { stdout } = await strata('rbac', 'who-can', 'get', 'pods', '-n', 'shop', file, '-q');
    expect(stdout.split('\n')[0]).toMatch(/^KIND\s+SUBJECT\s+BINDING\s+ROLE$/);
    expect(stdout).toContain('shop/deployer');
  });

  it('can lists effective permissions per namespace', async () => {
    const { code, stdout } = await strata(
      'rbac',
      'can',
      'ServiceAccount:shop:deployer',
      file,
      '-f',
      'json',
      '-q',
    );
    expect(code).toBe(0);
    const p = JSON.parse(stdout);
    expect(p.user).toBe('system:serviceaccount:shop:deployer');
    expect(p.clusterWide).toEqual([]);
    expect(p.namespaces).toEqual([
      {
        namespace: 'shop',
        rules: [
          {
            verbs: ['*'],
            apiGroups: [''],
            resources: ['pods', 'pods/exec'],
            resourceNames: [],
            nonResourceURLs: [],
            binding: 'RoleBinding/shop/ops',
            role: 'ClusterRole/ops',
          },
        ],
      },
    ]);
  });

  it.each(['system:serviceaccount:shop:deployer', 'ServiceAccount:shop/deployer'])(
    "can takes kubectl's subject form %s",
    async (subject) => {
      const { code, stdout } = await strata('rbac', 'can', subject, file, '-f', 'json', '-q');
      expect(code).toBe(0);
      const p = JSON.parse(stdout);
      expect(p.user).toBe('system:serviceaccount:shop:deployer');
      expect(p.namespaces.map((n: { namespace: string }) => n.namespace)).toEqual(['shop']);
    },
  );

  it('reports risks and the escalation path as findings (kind rbac)', async () => {
    const { code, stdout } = await strata('rbac', file, '--format', 'json', '-q', '--exit-code', '4');
    expect(code).toBe(4);
    const result = JSON.parse(stdout);
    const ids = result.findings.map(
      (f: { id: string; location: { resource: string } }) => `${f.id} ${f.location.resource}`,
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'RBAC-SECRETS-READ ClusterRoleBinding/backup',
        'RBAC-CREATE-PODS RoleBinding/shop/ops',
        'RBAC-POD-EXEC RoleBinding/shop/ops',
        'RBAC-WILDCARD-VERBS ClusterRole/pod-admin',
        'RBAC-ESCALATION-PATH RoleBinding/shop/ops',
      ]),
    );
    expect(result.findings.every((f: { kind: string }) => f.kind === 'rbac')).toBe(true);
    const path = result.findings.find(
      (f: { id: string; evidence: { subject: string } }) =>
        f.id === 'RBAC-ESCALATION-PATH' && f.evidence.subject === 'Group:shop-ops',
    );
    expect(path.evidence.reaches).toBe('ServiceAccount:shop:backup');
  });

  it.each([
    [['rbac', 'can', 'Robot:x', 'FILE'], /subject "Robot:x"/],
    [['rbac', 'who-can', 'get', 'pods/exec/x', 'FILE'], /resource "pods\/exec\/x"/],
    [['rbac', 'who-can', 'get', '/metrics', '-n', 'x', 'FILE'], /non-resource URL/],
    [['rbac', 'who-can', 'get', 'pods', '/nonexistent/rbac'], /no such file/],
  ])('exits 2 with one line for bad input: %s', async (args, message) => {
    const { code, stderr } = await strata(...args.map((a) => (a === 'FILE' ? file : a)), '-q');
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
