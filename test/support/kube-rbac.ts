import type { KubeApiServer } from './kube-apiserver.js';

export type RbacKind = 'clusterroles' | 'clusterrolebindings' | 'roles' | 'rolebindings';

const KIND: Record<RbacKind, string> = {
  clusterroles: 'ClusterRole',
  clusterrolebindings: 'ClusterRoleBinding',
  roles: 'Role',
  rolebindings: 'RoleBinding',
};

/**
 * The cluster's RBAC objects as `kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A
 * -o json` prints them: one `kind: List` whose items carry their kind and apiVersion (the API's own
 * lists leave them out), without `metadata.managedFields` (kubectl hides them by default).
 */
export async function dumpRbac(
  kube: KubeApiServer,
  opts: { labelSelector?: string; kinds?: readonly RbacKind[] } = {},
): Promise<string> {
  const items: Record<string, unknown>[] = [];
  const query = opts.labelSelector ? `?labelSelector=${encodeURIComponent(opts.labelSelector)}` : '';
  for (const kind of opts.kinds ?? (Object.keys(KIND) as RbacKind[])) {
    const list = await kube.ok('GET', `/apis/rbac.authorization.k8s.io/v1/${kind}${query}`);
    for (const item of list.items as Record<string, unknown>[]) {
      const { managedFields: _, ...metadata } = item.metadata as Record<string, unknown>;
      items.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: KIND[kind], ...item, metadata });
    }
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1);
}
