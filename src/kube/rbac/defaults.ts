import { bootstrapPolicy, parseK8sVersion } from './bootstrap/index.js';
import type { Binding, RbacModel, Role } from './types.js';

/** Which built-in defaults an analysis used (absent when the input held them all, or with `none`). */
export type DefaultsUsed = {
  /** the Kubernetes version set, e.g. `v1.34+` */
  readonly kubernetesVersion: string;
  readonly source: string;
  /** the names of the ClusterRoles and ClusterRoleBindings taken from the defaults */
  readonly clusterRoles: readonly string[];
  readonly clusterRoleBindings: readonly string[];
  /** the Roles and RoleBindings (of kube-system and kube-public) taken from the defaults, as `NAMESPACE/NAME` */
  readonly roles: readonly string[];
  readonly roleBindings: readonly string[];
  /** set when the requested version had no stored set of its own */
  readonly note?: string;
};

/** `--k8s-version`: `latest` (the default), `none`, or a version like `1.30`. */
export interface DefaultsOptions {
  readonly k8sVersion?: string;
}

const key = (o: { kind: string; namespace?: string; name: string }) =>
  `${o.kind}/${o.namespace ?? ''}/${o.name}`;
const nsName = (o: { namespace?: string; name: string }) => `${o.namespace}/${o.name}`;

/**
 * Adds the default RBAC objects every cluster of that version has (the API server creates them
 * at start-up: ClusterRoles, ClusterRoleBindings, and the Roles and RoleBindings of kube-system
 * and kube-public) that the input does not hold by kind, namespace and name: a manifest with
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
  const held = new Set([...model.roles.map(key), ...model.bindings.map(key)]);
  const missing = <T extends Role | Binding>(list: readonly T[]) => list.filter((o) => !held.has(key(o)));
  const clusterRoles: Role[] = missing(policy.clusterRoles);
  const clusterRoleBindings: Binding[] = missing(policy.clusterRoleBindings);
  const roles: Role[] = missing(policy.roles);
  const roleBindings: Binding[] = missing(policy.roleBindings);
  if (!clusterRoles.length && !clusterRoleBindings.length && !roles.length && !roleBindings.length) {
    return { model };
  }
  return {
    // the defaults' ServiceAccount subjects (kube-system/kube-dns, the controllers' accounts) are
    // not added to the known accounts: which of them a cluster has depends on its add-ons and
    // controller-manager flags
    model: {
      ...model,
      roles: [...model.roles, ...clusterRoles, ...roles],
      bindings: [...model.bindings, ...clusterRoleBindings, ...roleBindings],
    },
    defaults: {
      kubernetesVersion: policy.version,
      source: policy.source,
      clusterRoles: clusterRoles.map((r) => r.name),
      clusterRoleBindings: clusterRoleBindings.map((b) => b.name),
      roles: roles.map(nsName),
      roleBindings: roleBindings.map(nsName),
      ...(note ? { note } : {}),
    },
  };
}

/** One line for stderr saying which defaults were used. */
export function describeDefaults(d: DefaultsUsed): string {
  const namespaced =
    d.roles.length || d.roleBindings.length
      ? `, ${d.roles.length} Roles and ${d.roleBindings.length} RoleBindings (kube-system, kube-public)`
      : '';
  return `rbac: ${d.clusterRoles.length} ClusterRoles and ${d.clusterRoleBindings.length} ClusterRoleBindings${namespaced} not in the input are Kubernetes ${d.kubernetesVersion} defaults (--k8s-version none leaves them out)${d.note ? `; ${d.note}` : ''}`;
}
