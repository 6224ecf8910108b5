import type { Severity } from '../../core/severity.js';

export type Component = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd' | 'kubelet';

export const COMPONENTS: readonly Component[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
  'kubelet',
];

/** A setting's value as text (booleans `true`/`false`, lists comma-joined) and its line. */
export interface Setting {
  readonly value: string;
  readonly line: number;
}

/** The settings of one component instance, read from flags or a config file. */
export interface Settings {
  readonly component: Component;
  /**
   * `full`: every setting the component runs with is here (a static pod's command, a process's
   * command line), so an absent one takes the component's default. `explicit`: only overrides
   * are here (kubeadm extraArgs, a kubelet started with --config), so an absent one is not judged.
   */
  readonly completeness: 'full' | 'explicit';
  get(key: string): Setting | undefined;
  list(key: string): { values: string[]; line: number } | undefined;
  /** how the finding names the setting: `--anonymous-auth` or `authentication.anonymous.enabled` */
  describe(key: string): string;
  /** the source's own default for a setting when it differs from the flag's (kubelet config files) */
  defaultOf?(key: string): string | undefined;
  readonly location: { readonly path: string; readonly line: number; readonly resource: string };
}

export type Expectation =
  | { readonly kind: 'true'; readonly default: boolean }
  | { readonly kind: 'false'; readonly default: boolean }
  | { readonly kind: 'set' }
  | { readonly kind: 'unset' }
  | { readonly kind: 'has'; readonly item: string }
  | { readonly kind: 'lacks'; readonly item: string }
  | { readonly kind: 'gte'; readonly min: number }
  | { readonly kind: 'equalsOrUnset'; readonly value: string }
  | { readonly kind: 'not'; readonly value: string; readonly default?: string }
  | { readonly kind: 'equals'; readonly value: string; readonly default?: string };

export interface ControlCheck {
  /** `1.2.1` for CIS Kubernetes Benchmark v1.9 recommendations; a `K8S-` id for checks outside it */
  readonly id: string;
  readonly component: Component;
  /** flag name (without dashes); settings from config files map it to their field */
  readonly key: string;
  readonly expect: Expectation;
  readonly severity: Severity;
  readonly title: string;
  /** the benchmark version and number for checks that left the current benchmark */
  readonly legacy?: string;
}
