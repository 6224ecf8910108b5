/** One list the collector makes: where it lives and the kind its items are. */
export interface ResourceType {
  readonly kind: string;
  /** `v1`, `apps/v1`, ... */
  readonly apiVersion: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** a CRD that may not be installed: 404 means absent, not a failure */
  readonly optional?: boolean;
  /** list only metadata (PartialObjectMetadataList): Secrets, whose values are never read */
  readonly metadataOnly?: boolean;
}

const t = (
  kind: string,
  apiVersion: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType => ({
  kind,
  apiVersion,
  plural,
  namespaced,
  ...extra,
});

/** What `strata k8s` collects: workloads, network, RBAC, nodes. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  t('Namespace', 'v1', 'namespaces', false),
  t('Node', 'v1', 'nodes', false),
  t('Pod', 'v1', 'pods', true),
  t('ReplicationController', 'v1', 'replicationcontrollers', true),
  t('Service', 'v1', 'services', true),
  t('ServiceAccount', 'v1', 'serviceaccounts', true),
  t('Secret', 'v1', 'secrets', true, { metadataOnly: true }),
  t('Deployment', 'apps/v1', 'deployments', true),
  t('StatefulSet', 'apps/v1', 'statefulsets', true),
  t('DaemonSet', 'apps/v1', 'daemonsets', true),
  t('ReplicaSet', 'apps/v1', 'replicasets', true),
  t('Job', 'batch/v1', 'jobs', true),
  t('CronJob', 'batch/v1', 'cronjobs', true),
  t('Ingress', 'networking.k8s.io/v1', 'ingresses', true),
  t('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies', true),
  t('Role', 'rbac.authorization.k8s.io/v1', 'roles', true),
  t('RoleBinding', 'rbac.authorization.k8s.io/v1', 'rolebindings', true),
  t('ClusterRole', 'rbac.authorization.k8s.io/v1', 'clusterroles', false),
  t('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'clusterrolebindings', false),
  t('PeerAuthentication', 'security.istio.io/v1beta1', 'peerauthentications', true, { optional: true }),
];

/** ConfigMaps are read one by one, only those that carry CNI / mesh settings the analyzers use. */
export const CONFIG_MAPS: readonly { readonly namespace: string; readonly name: string }[] = [
  { namespace: 'kube-system', name: 'cilium-config' },
];

export function listPath(type: ResourceType, namespace?: string): string {
  const base = type.apiVersion.includes('/') ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  return type.namespaced && namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`
    : `${base}/${type.plural}`;
}

export const METADATA_ONLY_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
