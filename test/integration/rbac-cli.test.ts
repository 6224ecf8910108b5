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
      '--k8s-version',
      'none',
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
    const own = ['-f', 'json', '-q', '--k8s-version', 'none'];
    const { stdout } = await strata('rbac', 'who-can', 'list', 'secrets', file, ...own);
    expect(JSON.parse(stdout).subjects.map((s: { name: string }) => s.name)).toEqual(['backup']);
    const none = await strata('rbac', 'who-can', 'create', 'pods', file, ...own);
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
      '--k8s-version',
      'none',
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

  describe('with only a binding to cluster-admin (the Kubernetes defaults fill the rest)', () => {
    let admin: string;
    beforeAll(() => {
      admin = join(dir, 'admin.yaml');
      writeFileSync(
        admin,
        `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ops, namespace: tools}]
`,
      );
    });

    it("who-can delete '*' names the binding's subject and system:masters, and says defaults were used", async () => {
      const { code, stdout, stderr } = await strata('rbac', 'who-can', 'delete', '*', admin, '-f', 'json');
      expect(code).toBe(0);
      const answer = JSON.parse(stdout);
      const names = answer.subjects.map((s: { kind: string; name: string }) => `${s.kind}:${s.name}`);
      // cluster-admin's group and the two controllers whose roles hold delete on '*' in every cluster
      expect(names.sort()).toEqual([
        'Group:system:masters',
        'ServiceAccount:generic-garbage-collector',
        'ServiceAccount:namespace-controller',
        'ServiceAccount:ops',
      ]);
      const ops = answer.subjects.find((s: { name: string }) => s.name === 'ops');
      expect(ops.via).toEqual([
        { binding: 'ClusterRoleBinding/ops-admin', role: 'ClusterRole/cluster-admin' },
      ]);
      expect(answer.defaults.kubernetesVersion).toBe('v1.34+');
      expect(answer.defaults.clusterRoles).toContain('cluster-admin');
      expect(stderr).toMatch(
        /ClusterRoleBindings, 7 Roles and 7 RoleBindings \(kube-system, kube-public\) not in the input are Kubernetes v1\.34\+ defaults/,
      );
      expect(stderr).not.toMatch(/not in the input \(the binding grants nothing here\)/);
    });

    it('rbac scan reports the binding to cluster-admin and names the defaults in rbacDefaults', async () => {
      const { stdout } = await strata('rbac', admin, '--format', 'json', '-q');
      const result = JSON.parse(stdout);
      const ids = result.findings.map(
        (f: { id: string; location: { resource: string } }) => `${f.id} ${f.location.resource}`,
      );
      expect(ids).toContain('RBAC-CLUSTER-ADMIN ClusterRoleBinding/ops-admin');
      // the defaults' own bindings (system:masters -> cluster-admin) are not the user's findings
      expect(result.findings.every((f: { location: { path: string } }) => f.location.path === admin)).toBe(
        true,
      );
      expect(result.rbacDefaults.clusterRoleBindings).toContain('system:basic-user');
      expect(result.errors).toEqual([]);
    });

    it('--k8s-version none leaves the defaults out (the binding then grants nothing)', async () => {
      const { stdout, stderr } = await strata(
        'rbac',
        'who-can',
        'delete',
        '*',
        admin,
        '-f',
        'json',
        '--k8s-version',
        'none',
      );
      expect(JSON.parse(stdout)).toEqual({ subjects: [] });
      expect(stderr).toMatch(/references ClusterRole\/cluster-admin, which is not in the input/);
    });

    it('can system:serviceaccount:NS:NAME shows what every authenticated user gets as well', async () => {
      const { code, stdout } = await strata(
        'rbac',
        'can',
        'system:serviceaccount:tools:ops',
        admin,
        '-f',
        'json',
        '-q',
      );
      expect(code).toBe(0);
      const roles = JSON.parse(stdout).clusterWide.map((r: { role: string }) => r.role);
      expect(roles).toEqual(
        expect.arrayContaining([
          'ClusterRole/cluster-admin',
          'ClusterRole/system:basic-user',
          'ClusterRole/system:discovery',
        ]),
      );
    });
  });

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
    [['rbac', 'who-can', 'get', 'pods', 'FILE', '--k8s-version', '2.0'], /--k8s-version: "2.0"/],
    [['rbac', 'FILE', '--k8s-version', 'v1'], /--k8s-version: "v1"/],
  ])('exits 2 with one line for bad input: %s', async (args, message) => {
    const { code, stderr } = await strata(...args.map((a) => (a === 'FILE' ? file : a)), '-q');
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
