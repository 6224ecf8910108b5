import { parseCluster } from '../parse.js';
import type { Cluster, Endpoint, PodInfo } from '../types.js';
import type { ResourceInput } from '../values.js';

/**
 * Builders for hand-written scenarios (tests and benchmarks): plain Kubernetes objects in,
 * the same typed model the loader's output gives.
 */
export function resource(object: Record<string, unknown>, file = 'test.yaml', line = 1): ResourceInput {
  return { kind: String(object.kind), apiVersion: String(object.apiVersion ?? 'v1'), object, file, line };
}

export interface PodSpecLite {
  readonly labels?: Record<string, string>;
  /** `8080`, `8080/UDP`, `http:8080`, `dns:53/UDP` */
  readonly ports?: readonly string[];
  readonly ip?: string;
  readonly annotations?: Record<string, string>;
}

function containerPorts(ports: readonly string[] = []): Record<string, unknown>[] {
  return ports.map((p) => {
    const m = /^(?:([a-z0-9-]+):)?(\d+)(?:\/(TCP|UDP|SCTP))?$/.exec(p);
    if (!m) throw new Error(`bad port spec ${p}`);
    return {
      containerPort: Number(m[2]),
      ...(m[1] ? { name: m[1] } : {}),
      ...(m[3] ? { protocol: m[3] } : {}),
    };
  });
}

export function pod(ns: string, name: string, spec: PodSpecLite = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: spec.labels ?? {}, annotations: spec.annotations ?? {} },
    spec: { containers: [{ name: 'c', image: 'x', ports: containerPorts(spec.ports) }] },
    ...(spec.ip ? { status: { podIP: spec.ip } } : {}),
  };
}

export function deployment(ns: string, name: string, spec: PodSpecLite = {}): Record<string, unknown> {
  const labels = spec.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: spec.annotations ?? {} },
        spec: { containers: [{ name: 'c', image: 'x', ports: containerPorts(spec.ports) }] },
      },
    },
  };
}

export function namespace(
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } };
}

export function policy(ns: string, name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec,
  };
}

export function clusterOf(objects: readonly Record<string, unknown>[]): Cluster {
  const { cluster, errors } = parseCluster(objects.map((o) => resource(o)));
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  return cluster;
}

/** `ns/name` of a pod or workload, or an IP address for a peer outside the cluster. */
export function endpoint(cluster: Cluster, ref: string): Endpoint {
  if (!ref.includes('/')) return { kind: 'external', ip: ref };
  const [ns, name] = ref.split('/');
  const found: PodInfo | undefined = cluster.pods.find((p) => p.namespace === ns && p.name === name);
  if (!found) throw new Error(`no pod ${ref}`);
  return { kind: 'pod', pod: found };
}
