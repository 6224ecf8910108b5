import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resourceRequest } from '../kube/index.js';
import { netpolGenerate, scanNetpol } from './netpol.js';
import { rbacWhoCan, scanRbac } from './rbac.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-kube-scans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const RBAC = file(
  'rbac.yaml',
  `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin-all}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: admin-all}
rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]
`,
);
const BROKEN = file('broken.yaml', 'kind: [unclosed\n');

const collect = () => {
  const progress: string[] = [];
  const warnings: string[] = [];
  return {
    progress,
    warnings,
    options: { onProgress: (m: string) => progress.push(m), onWarning: (w: string) => warnings.push(w) },
  };
};

describe('scanRbac', () => {
  it('reports risks, keeps unreadable files as errors and says so through onProgress', async () => {
    const { progress, options } = collect();
    const result = await scanRbac([RBAC, BROKEN], options);
    expect(result.target).toEqual({ type: 'kubernetes', name: `${RBAC} ${BROKEN}` });
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.errors.map((e) => e.path)).toContain(BROKEN);
    expect(progress).toEqual([`rbac: ${result.findings.length} findings, ${result.errors.length} errors`]);
  });

  it('refuses no paths with a usage error before reading anything', async () => {
    await expect(scanRbac([])).rejects.toMatchObject({ code: 'USAGE', userError: true });
  });
});

describe('rbacWhoCan', () => {
  it('answers through the binding and passes unreadable files on as warnings', async () => {
    const { warnings, options } = collect();
    const { subjects, defaults } = await rbacWhoCan(
      [RBAC, BROKEN],
      resourceRequest('delete', 'secrets', {}),
      options,
    );
    expect(subjects.map((s) => s.name)).toContain('ci');
    // system:masters holds cluster-admin in every cluster, through the built-in defaults
    expect(subjects.map((s) => s.name)).toContain('system:masters');
    expect(defaults?.clusterRoleBindings).toContain('cluster-admin');
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^${BROKEN}: `)),
      expect.stringMatching(
        /^rbac: \d+ ClusterRoles and \d+ ClusterRoleBindings, 7 Roles and 7 RoleBindings \(kube-system, kube-public\) not in the input are Kubernetes v1\.34\+ defaults/,
      ),
    ]);
  });
});

describe('scanNetpol', () => {
  it('is a kubernetes result with a progress line naming what was parsed', async () => {
    const pod = file(
      'pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: i}]}\n',
    );
    const { progress, options } = collect();
    const result = await scanNetpol([pod], options);
    expect(result.target.type).toBe('kubernetes');
    expect(progress).toEqual(['netpol: 1 pods/workloads, 0 policies, 0 errors']);
  });
});

describe('netpolGenerate', () => {
  it('refuses a flows file it cannot read with a coded error naming it', async () => {
    await expect(netpolGenerate([RBAC], join(dir, 'no-flows.csv'))).rejects.toMatchObject({
      code: 'INVALID_FLOWS',
      message: expect.stringContaining('no-flows.csv'),
    });
  });
});
