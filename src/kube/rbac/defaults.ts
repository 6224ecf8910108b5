import { bootstrapPolicy, parseK8sVersion } from './bootstrap/index.js';
import type { Binding, RbacModel, Role } from './types.js';

/** Which built-in defaults an analysis used (absent when the input held them all, or with `none`). */
export type DefaultsUsed = {
  /** the Kubernetes version set, e.g. `v1.27+` */
  readonly kubernetesVersion: string;
  readonly source: string;
  /** the names of the ClusterRoles and ClusterRoleBindings taken from the defaults */
  readonly clusterRoles: readonly string[];
  readonly clusterRoleBindings: readonly string[];
  /** set when the requested version had no stored set of its own */
  readonly note?: string;
};

/** `--k8s-version`: `latest` (the default), `none`, or a version like `1.30`. */
export interface DefaultsOptions {
  readonly k8sVersion?: string;
}

/**
 * Adds the default ClusterRoles and ClusterRoleBindings every cluster of that version has (the
 * API server creates them at start-up) that the input does not hold by name: a manifest with
 * only a binding to `cluster-admin` then grants what it grants in a real cluster. An object the
 * input holds is kept as written (a cluster's own copy wins, as the API server leaves edited
 * objects without the autoupdate annotation alone).
 */
export function withDefaults(
  model: RbacModel,
  options: DefaultsOptions = {},
): { model: RbacModel; defaults?: DefaultsUsed } {
  const version = parseK8sVersion(options.k8sVersion ?? 'latest');
  if (version === 'none') return { model };
  const { policy, note } = bootstrapPolicy(version);
  const roleNames = new Set(model.roles.filter((r) => r.kind === 'ClusterRole').map((r) => r.name));
  const bindingNames = new Set(
    model.bindings.filter((b) => b.kind === 'ClusterRoleBinding').map((b) => b.name),
  );
  const roles: Role[] = policy.clusterRoles.filter((r) => !roleNames.has(r.name));
  const bindings: Binding[] = policy.clusterRoleBindings.filter((b) => !bindingNames.has(b.name));
  if (!roles.length && !bindings.length) return { model };
  return {
    // the defaults' one ServiceAccount subject (kube-system/kube-dns) is not added to the known
    // accounts: a cluster has it only where the DNS add-on runs
    model: { ...model, roles: [...model.roles, ...roles], bindings: [...model.bindings, ...bindings] },
    defaults: {
      kubernetesVersion: policy.version,
      source: policy.source,
      clusterRoles: roles.map((r) => r.name),
      clusterRoleBindings: bindings.map((b) => b.name),
      ...(note ? { note } : {}),
    },
  };
}

/** One line for stderr saying which defaults were used. */
export function describeDefaults(d: DefaultsUsed): string {
  return `rbac: ${d.clusterRoles.length} ClusterRoles and ${d.clusterRoleBindings.length} ClusterRoleBindings not in the input are Kubernetes ${d.kubernetesVersion} defaults (--k8s-version none leaves them out)${d.note ? `; ${d.note}` : ''}`;
}
