import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadKubeResources, parseKubeText } from '../../load/index.js';
import { checkPodSecurity } from './scan.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('Pod Security Standards on workload resources', () => {
  it('applies to the pod template of every workload kind and to ephemeral containers', async () => {
    const { resources } = await loadKubeResources([fixture('workloads.yaml')]);
    const findings = checkPodSecurity(resources, { level: 'baseline', version: { latest: true } });
    expect(findings.map((f) => [f.id, f.location.resource, f.location.line])).toEqual([
      ['PSS-privileged', 'Pod/apps/debug-target', 14],
      ['PSS-privileged', 'Deployment/apps/deployment', 30],
      ['PSS-privileged', 'ReplicaSet/apps/replicaset', 46],
      ['PSS-privileged', 'StatefulSet/apps/statefulset', 62],
      ['PSS-privileged', 'DaemonSet/apps/daemonset', 78],
      ['PSS-privileged', 'Job/apps/job', 94],
      ['PSS-privileged', 'CronJob/apps/cronjob', 113],
      ['PSS-privileged', 'ReplicationController/apps/replicationcontroller', 129],
      ['PSS-privileged', 'PodTemplate/apps/podtemplate', 144],
    ]);
    expect(findings[0]).toMatchObject({
      kind: 'misconfiguration',
      severity: 'HIGH',
      location: { path: fixture('workloads.yaml') },
      evidence: {
        level: 'baseline',
        policy: 'baseline',
        pssVersion: 'v1.37',
        requestedVersion: 'latest',
        reason: 'privileged',
        detail: 'container "debugger" must not set securityContext.privileged=true',
        fields: ['spec.ephemeralContainers[0].securityContext.privileged'],
      },
    });
  });

  it('points a missing field at the closest object that should hold it', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  template:',
      '    spec:',
      '      securityContext:',
      '        runAsNonRoot: true',
      '        seccompProfile: {type: RuntimeDefault}',
      '      containers:',
      '        - name: app',
      '          image: nginx',
      '',
    ].join('\n');
    const findings = checkPodSecurity(parseKubeText(text, 'd.yaml').resources, {
      level: 'restricted',
      version: { latest: true },
    });
    expect(
      findings.map((f) => [f.id, f.location.line, 'level' in f.evidence ? f.evidence.level : undefined]),
    ).toEqual([
      ['PSS-allowPrivilegeEscalation', 11, 'restricted'],
      ['PSS-capabilities_restricted', 11, 'restricted'],
    ]);
  });

  it('finds nothing in a pod that meets restricted', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: ok}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: app
      image: nginx
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
`;
    const { resources } = parseKubeText(text, 'p.yaml');
    expect(checkPodSecurity(resources, { level: 'restricted', version: { latest: true } })).toEqual([]);
  });

  it('ignores resources without a pod template', () => {
    const { resources } = parseKubeText('apiVersion: v1\nkind: Service\nmetadata: {name: s}\n', 's.yaml');
    expect(checkPodSecurity(resources, { level: 'restricted', version: { latest: true } })).toEqual([]);
  });
});
