import { parseIp } from './cidr.js';
import { NetpolError } from './errors.js';
import { type Cluster, type Endpoint, type PodInfo, PROTOCOLS, type Protocol, podResource } from './types.js';

/** Finds a pod or workload by `NS/NAME` or `NS/KIND/NAME`. */
export function findPod(cluster: Cluster, ref: string): PodInfo {
  const parts = ref.split('/');
  const [ns, kindOrName, maybeName] = parts;
  if (parts.length < 2 || parts.length > 3 || !ns || !kindOrName || (parts.length === 3 && !maybeName)) {
    throw new NetpolError('UNKNOWN_ENDPOINT', `"${ref}" is not NAMESPACE/NAME or NAMESPACE/KIND/NAME`);
  }
  const name = maybeName ?? kindOrName;
  const kind = maybeName ? kindOrName.toLowerCase() : undefined;
  const found = cluster.pods.filter(
    (p) => p.namespace === ns && p.name === name && (!kind || p.kind.toLowerCase() === kind),
  );
  if (found.length === 0)
    throw new NetpolError('UNKNOWN_ENDPOINT', `no pod or workload "${ref}" in the input`);
  if (found.length > 1) {
    throw new NetpolError(
      'UNKNOWN_ENDPOINT',
      `"${ref}" is ambiguous (${found.map(podResource).join(', ')}): use NAMESPACE/KIND/NAME`,
    );
  }
  return found[0]!;
}

/** A pod/workload reference, or an IP address for an endpoint outside the cluster. */
export function resolveEndpoint(cluster: Cluster, ref: string): Endpoint {
  if (parseIp(ref)) return { kind: 'external', ip: ref };
  return { kind: 'pod', pod: findPod(cluster, ref) };
}

/** `PORT[/PROTO]` where PORT is a number or a port name of the destination pod. */
export function resolvePort(
  spec: string,
  dst: Endpoint,
): { port: number; protocol: Protocol; name?: string } {
  const [p, proto] = spec.split('/');
  const protocol = (proto ?? 'TCP').toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new NetpolError('UNKNOWN_ENDPOINT', `--port: unknown protocol "${proto}" (TCP, UDP or SCTP)`);
  }
  const proto2 = protocol as Protocol;
  if (p && /^\d+$/.test(p) && Number(p) >= 1 && Number(p) <= 65535)
    return { port: Number(p), protocol: proto2 };
  const named =
    dst.kind === 'pod' ? dst.pod.ports.find((cp) => cp.name === p && cp.protocol === proto2) : undefined;
  if (!named) {
    throw new NetpolError(
      'UNKNOWN_ENDPOINT',
      `--port: "${spec}" is neither a port number nor a ${protocol} port name of the destination`,
    );
  }
  return { port: named.port, protocol: proto2, name: named.name! };
}

export const endpointLabel = (e: Endpoint): string => (e.kind === 'pod' ? podResource(e.pod) : e.ip);
