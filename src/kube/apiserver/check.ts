import type { Finding, ScanError } from '../../core/types.js';
import type { KubeResource } from '../load/index.js';
import { CHECKS } from './checks.js';
import { evaluate } from './evaluate.js';
import { kubeadmSettings, kubeletSettings, parseCommandLines, staticPodSettings } from './sources.js';
import type { ControlCheck, Settings } from './types.js';

export interface ControlPlaneOptions {
  /** the checks to run (default: every check) */
  readonly checks?: readonly ControlCheck[];
}

export function checkSettings(settings: readonly Settings[], options: ControlPlaneOptions = {}): Finding[] {
  return settings.flatMap((s) => evaluate(s, options.checks ?? CHECKS));
}

/**
 * CIS checks on every control-plane file among the resources: static pod manifests of
 * kube-apiserver, kube-controller-manager, kube-scheduler and etcd, KubeletConfiguration and
 * kubeadm ClusterConfiguration. Other resources are ignored.
 */
export function checkControlPlane(
  resources: readonly KubeResource[],
  options: ControlPlaneOptions = {},
): { findings: Finding[]; errors: ScanError[] } {
  const errors: ScanError[] = [];
  const settings = resources.flatMap((r) => [
    ...staticPodSettings(r, errors),
    ...kubeadmSettings(r, errors),
    ...kubeletSettings(r),
  ]);
  return { findings: checkSettings(settings, options), errors };
}

/** CIS checks on a file of process command lines (see parseCommandLines). */
export function checkCommandLines(text: string, file: string, options: ControlPlaneOptions = {}): Finding[] {
  return checkSettings(parseCommandLines(text, file), options);
}
