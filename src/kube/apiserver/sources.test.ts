import { describe, expect, it } from 'vitest';
import type { ScanError } from '../../core/types.js';
import { parseKubeText } from '../load/index.js';
import { kubeadmSettings, staticPodSettings } from './sources.js';

const one = (yaml: string) => {
  const r = parseKubeText(yaml, 'cp.yaml').resources[0];
  if (!r) throw new Error('no resource');
  return r;
};

describe('control-plane sources with a malformed field', () => {
  it('names the container field that is not a list, and reads the other', () => {
    const errors: ScanError[] = [];
    const settings = staticPodSettings(
      one(`apiVersion: v1
kind: Pod
metadata: { name: kube-apiserver, namespace: kube-system }
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.0
      command: kube-apiserver --anonymous-auth=true
      args: [--profiling=false]
`),
      errors,
    );
    expect(errors.map((e) => e.message)).toEqual([
      'line 8: Pod/kube-system/kube-apiserver: containers[0].command: expected array, got string',
    ]);
    expect(settings).toHaveLength(1);
  });

  it('names a kubeadm extraArgs entry that is not {name, value}', () => {
    const errors: ScanError[] = [];
    kubeadmSettings(
      one(`apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
    - { name: profiling, value: "false" }
    - { value: "true" }
`),
      errors,
    );
    expect(errors.map((e) => e.message)).toEqual([
      'line 6: apiServer.extraArgs[1].name: expected string, got undefined (expected {name, value})',
    ]);
  });
});
