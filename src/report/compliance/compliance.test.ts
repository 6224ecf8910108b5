import { describe, expect, it } from 'vitest';
import { buildResult } from '../../core/result.js';
import { parseKubeText } from '../../kube/load/index.js';
import { checkPodSecurity, parseComplianceSpec, pssCompliance } from '../../kube/workload/pss/index.js';
import { writeConfigTable } from './config-table.js';
import { renderCompliance } from './render.js';

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec:
  hostPID: true
  containers: [{name: c, image: i, securityContext: {privileged: true}}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x}
spec:
  containers: [{name: c, image: i, securityContext: {privileged: true}}]
`;

describe('PSS compliance summary', () => {
  const { resources } = parseKubeText(PODS, 'p.yaml');
  const version = { latest: true } as const;

  it('passes or fails every baseline control', () => {
    const report = pssCompliance(
      'pss-baseline',
      version,
      checkPodSecurity(resources, { level: 'baseline', version }),
    );
    expect(report.summary).toEqual({ pass: 10, fail: 2 });
    expect(report.controls.filter((c) => c.status === 'FAIL')).toEqual([
      {
        id: 'hostNamespaces',
        name: 'Host namespaces',
        level: 'baseline',
        severity: 'HIGH',
        status: 'FAIL',
        resources: ['Pod/x/a'],
      },
      {
        id: 'privileged',
        name: 'Privileged containers',
        level: 'baseline',
        severity: 'HIGH',
        status: 'FAIL',
        resources: ['Pod/x/a', 'Pod/x/b'],
      },
    ]);
    expect(renderCompliance(report)).toContain(
      'Pod Security Standards (baseline) v1.37: 10 passed, 2 failed',
    );
  });

  it('lists the restricted controls of the version asked for', () => {
    const v = { latest: false, minor: 22 } as const;
    const report = pssCompliance(
      'pss-restricted',
      v,
      checkPodSecurity(resources, { level: 'restricted', version: v }),
    );
    expect(report.version).toBe('v1.22');
    expect(report.controls.map((c) => c.id)).not.toContain('runAsUser');
    expect(report.controls.find((c) => c.id === 'runAsNonRoot')?.status).toBe('FAIL');
  });

  it('refuses unknown specs', () => {
    expect(() => parseComplianceSpec('cis')).toThrow(/--compliance/);
  });
});

describe('config table', () => {
  it('groups findings by resource, ordered by line', () => {
    const { resources } = parseKubeText(PODS, 'p.yaml');
    const result = buildResult({
      target: { type: 'kubernetes', name: 'p.yaml' },
      findings: checkPodSecurity(resources, { level: 'baseline', version: { latest: true } }),
    });
    const text = writeConfigTable(result);
    expect(text).toContain('Pod/x/a (p.yaml)\nSEVERITY');
    expect(text.indexOf('Pod/x/a')).toBeLessThan(text.indexOf('Pod/x/b'));
    const groupA = text.slice(text.indexOf('Pod/x/a ('), text.indexOf('Pod/x/b ('));
    expect(groupA.indexOf('PSS-hostNamespaces')).toBeLessThan(groupA.indexOf('PSS-privileged'));
  });
});
