import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileCelRules } from '../cel/index.js';
import { scanConfig } from './config.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../kube/workload/fixtures/${name}`, import.meta.url));
const RESTRICTED = { level: 'restricted', version: { latest: true } } as const;
const at = (f: { id: string; location: { resource?: string; line?: number } }) =>
  `${f.id} ${f.location.resource ?? ''}:${f.location.line}`;

describe('strata config as a library', () => {
  it('scans Helm-like output with many kinds and reports what is wrong where', async () => {
    const { result, resources } = await scanConfig([fixture('chart.yaml')], { pss: RESTRICTED });
    expect(resources.map((r) => r.kind)).toEqual([
      'ServiceAccount',
      'ConfigMap',
      'Secret',
      'Service',
      'Deployment',
      'Ingress',
      'CronJob',
      'HorizontalPodAutoscaler',
    ]);
    expect(result.target).toEqual({ type: 'kubernetes', name: fixture('chart.yaml') });
    expect(result.errors).toEqual([]);
    expect(result.findings.map(at).sort()).toEqual(
      [
        // the CronJob: runs as root, and lacks the rest of restricted
        'PSS-allowPrivilegeEscalation CronJob/shop/shop-report:138',
        'PSS-capabilities_restricted CronJob/shop/shop-report:138',
        'PSS-runAsNonRoot CronJob/shop/shop-report:138',
        'PSS-runAsUser CronJob/shop/shop-report:140',
        'PSS-seccompProfile_restricted CronJob/shop/shop-report:138',
        'STRATA-K8S-029 ConfigMap/shop/shop-web:22',
        'STRATA-K8S-028 Ingress/shop/shop-web:104',
      ].sort(),
    );
  });

  it('walks a directory: Dockerfiles too, and a malformed document does not stop the rest', async () => {
    const { result } = await scanConfig([fixture('tree')], {
      pss: { level: 'baseline', version: { latest: true } },
    });
    expect(result.errors).toEqual([
      {
        analyzer: 'kube/load',
        path: fixture('tree/malformed.yaml'),
        message: expect.stringMatching(/^line 12: /),
      },
    ]);
    const ids = result.findings.map((f) => `${f.id}@${f.location.path?.split('/').pop()}:${f.location.line}`);
    expect(ids).toContain('PSS-hostNamespaces@malformed.yaml:17');
    expect(ids).toContain('STRATA-DF-021@Dockerfile:2');
    expect(ids).toContain('STRATA-DF-001@Dockerfile:1');
  });

  it('reads stdin for - and runs custom rules', async () => {
    const stdin = Readable.from([
      'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\nspec: {type: NodePort}\n',
    ]);
    const rules = compileCelRules(
      'rules:\n  - {id: NO-NODEPORT, severity: HIGH, message: no NodePort, expression: "object.spec.type != \'NodePort\'"}\n',
      'r.yaml',
    );
    const { result } = await scanConfig(['-'], { pss: RESTRICTED, rules, stdin });
    expect(result.target).toEqual({ type: 'kubernetes', name: 'stdin' });
    expect(result.findings.map(at)).toEqual(['NO-NODEPORT Service/x/s:1', 'STRATA-K8S-025 Service/x/s:4']);
  });
});
