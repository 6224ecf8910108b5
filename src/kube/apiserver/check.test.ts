import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadKubeResources } from '../load/index.js';
import { checkCommandLines, checkControlPlane } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const rows = (findings: ReturnType<typeof checkControlPlane>['findings']) =>
  findings
    .map((f) => `${f.id} ${'setting' in f.evidence ? f.evidence.setting : '-'} ${f.location.line}`)
    .sort();

describe('CIS control-plane checks', () => {
  it('finds every CIS issue of an insecure kube-apiserver static pod, each with flag, file and line', async () => {
    const { resources } = await loadKubeResources([fixture('kube-apiserver-insecure.yaml')]);
    const { findings, errors } = checkControlPlane(resources);
    expect(errors).toEqual([]);
    expect(rows(findings)).toEqual(
      [
        'CIS-1.2.1 --anonymous-auth 14',
        'CIS-1.2.10 --enable-admission-plugins 16',
        'CIS-1.2.11 --enable-admission-plugins 16',
        'CIS-1.2.12 --disable-admission-plugins 17',
        'CIS-1.2.14 --enable-admission-plugins 16',
        'CIS-1.2.15 --profiling 18',
        'CIS-1.2.17 --audit-log-maxage 23',
        'CIS-1.2.2 --token-auth-file 20',
        'CIS-1.2.21 --service-account-lookup 21',
        'CIS-1.2.23 --etcd-certfile 11',
        'CIS-1.2.23 --etcd-keyfile 11',
        'CIS-1.2.25 --client-ca-file 11',
        'CIS-1.2.26 --etcd-cafile 11',
        'CIS-1.2.27 --encryption-provider-config 11',
        'CIS-1.2.4 --kubelet-client-certificate 11',
        'CIS-1.2.4 --kubelet-client-key 11',
        'CIS-1.2.5 --kubelet-certificate-authority 11',
        'CIS-1.2.6 --authorization-mode 15',
        'CIS-1.2.7 --authorization-mode 15',
        'CIS-1.2.8 --authorization-mode 15',
        'K8S-INSECURE-PORT --insecure-port 19',
      ].sort(),
    );
    const anon = findings.find((f) => f.id === 'CIS-1.2.1');
    expect(anon).toMatchObject({
      kind: 'misconfiguration',
      location: {
        path: fixture('kube-apiserver-insecure.yaml'),
        line: 14,
        resource: 'Pod/kube-system/kube-apiserver',
      },
      evidence: {
        component: 'kube-apiserver',
        setting: '--anonymous-auth',
        value: 'true',
        expected: 'false',
        benchmark: 'CIS Kubernetes Benchmark v1.9 1.2.1',
      },
    });
  });

  it('finds nothing in a hardened kube-apiserver static pod', async () => {
    const { resources } = await loadKubeResources([fixture('kube-apiserver-hardened.yaml')]);
    expect(checkControlPlane(resources).findings).toEqual([]);
  });

  it('checks etcd pods, KubeletConfiguration and kubeadm ClusterConfiguration (v1beta4 list and v1beta3 map)', async () => {
    const { resources } = await loadKubeResources([fixture('control-plane-mixed.yaml')]);
    const { findings, errors } = checkControlPlane(resources);
    expect(errors).toEqual([]);
    expect(rows(findings)).toEqual(
      [
        'CIS-2.2 --client-cert-auth 10',
        'CIS-2.3 --auto-tls 14',
        'CIS-4.2.1 authentication.anonymous.enabled 23',
        'CIS-4.2.2 authorization.mode 27',
        'CIS-4.2.4 readOnlyPort 28',
        'CIS-4.2.5 streamingConnectionIdleTimeout 30',
        'CIS-1.2.15 --profiling 36',
        'CIS-1.3.7 --bind-address 42',
        'CIS-1.4.1 --profiling 49',
      ].sort(),
    );
  });

  it('ignores pods outside kube-system and workloads that are not control-plane components', async () => {
    const { resources } = await loadKubeResources([fixture('kube-apiserver-insecure.yaml')]);
    const moved = resources.map((r) => ({ ...r, namespace: 'default' }));
    expect(checkControlPlane(moved).findings).toEqual([]);
  });

  describe('process command lines', () => {
    const ps = [
      'UID          PID    PPID  C STIME TTY          TIME CMD',
      'root        1201    1100  3 10:00 ?        00:10:00 kube-apiserver --authorization-mode=Node,RBAC --anonymous-auth=false --profiling=false --client-ca-file=/pki/ca.crt',
      'root        1300    1100  1 10:00 ?        00:01:00 /usr/local/bin/kube-scheduler --profiling --bind-address 0.0.0.0',
      'root        1400       1  2 10:00 ?        00:05:00 /usr/bin/kubelet --config=/var/lib/kubelet/config.yaml --read-only-port=10255',
      'root        1500    1499  0 10:05 pts/0    00:00:00 grep kube-apiserver',
    ].join('\n');
    it('judges each component line with its flags and line number', () => {
      const found = checkCommandLines(ps, 'ps.txt').map(
        (f) => `${f.id} ${f.location.line} ${f.location.resource}`,
      );
      expect(found).toContain('CIS-1.4.1 3 Process/kube-scheduler');
      expect(found).toContain('CIS-1.4.2 3 Process/kube-scheduler');
      expect(found).toContain('CIS-4.2.4 4 Process/kubelet');
      expect(found.some((f) => f.startsWith('CIS-1.2.1 ') || f.startsWith('CIS-1.2.6 '))).toBe(false);
      // a kubelet with --config is judged on its explicit flags only
      expect(found.filter((f) => f.includes('Process/kubelet'))).toEqual(['CIS-4.2.4 4 Process/kubelet']);
      expect(found.some((f) => f.includes(' 5 '))).toBe(false);
    });
  });
});
