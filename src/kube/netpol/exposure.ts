import { matchesSelector } from './selector.js';
import type { Cluster, PodInfo, ServiceInfo } from './types.js';

/** LoadBalancer and NodePort Services that select the pod: its routes in from outside the cluster. */
export function exposingServices(cluster: Cluster, pod: PodInfo): ServiceInfo[] {
  return cluster.services.filter(
    (svc) =>
      (svc.type === 'LoadBalancer' || svc.type === 'NodePort') &&
      svc.selector !== undefined &&
      svc.namespace === pod.namespace &&
      matchesSelector({ matchLabels: svc.selector, matchExpressions: [] }, pod.labels),
  );
}
