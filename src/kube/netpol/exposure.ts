import { matchesSelector } from './selector.js';
import type { Cluster, PodInfo, ServiceInfo } from './types.js';

/** A LoadBalancer or NodePort Service: a route in from outside the cluster. */
export const isExternalService = (svc: ServiceInfo): boolean =>
  svc.type === 'LoadBalancer' || svc.type === 'NodePort';

/** Whether a Service's selector picks the pod (same namespace, every selector label). */
export function serviceSelects(svc: ServiceInfo, pod: PodInfo): boolean {
  return (
    svc.selector !== undefined &&
    svc.namespace === pod.namespace &&
    matchesSelector({ matchLabels: svc.selector, matchExpressions: [] }, pod.labels)
  );
}

/** LoadBalancer and NodePort Services that select the pod: its routes in from outside the cluster. */
export function exposingServices(cluster: Cluster, pod: PodInfo): ServiceInfo[] {
  return cluster.services.filter((svc) => isExternalService(svc) && serviceSelects(svc, pod));
}
