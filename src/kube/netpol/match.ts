import { ipBlockMatcher } from './cidr.js';
import { matchesSelector } from './selector.js';
import {
  type Cluster,
  type Endpoint,
  type Labels,
  NAMESPACE_NAME_LABEL,
  type NetworkPolicy,
  type PodInfo,
  type PolicyPeer,
  type PolicyPort,
  type Protocol,
} from './types.js';

export function namespaceLabels(cluster: Cluster, namespace: string): Labels {
  return cluster.namespaces.get(namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: namespace };
}

/** A policy applies to pods of its own namespace that its podSelector matches. */
export function policySelects(policy: NetworkPolicy, pod: { namespace: string; labels: Labels }): boolean {
  return pod.namespace === policy.namespace && matchesSelector(policy.podSelector, pod.labels);
}

/**
 * One peer of a rule against the other end of a connection: pod peers match pods (podSelector
 * AND namespaceSelector; no namespaceSelector means the policy's namespace); ipBlock peers match
 * addresses (external ones, and pods by their known IPs) inside `cidr` and outside every `except`.
 */
export function peerMatches(
  cluster: Cluster,
  policy: NetworkPolicy,
  peer: PolicyPeer,
  other: Endpoint,
): boolean {
  if (peer.kind === 'ipBlock') {
    const ips = other.kind === 'external' ? [other.ip] : other.pod.ips;
    return ips.some(ipBlockMatcher(peer.cidr, peer.except));
  }
  if (other.kind !== 'pod') return false;
  const pod = other.pod;
  const nsOk = peer.namespaceSelector
    ? matchesSelector(peer.namespaceSelector, namespaceLabels(cluster, pod.namespace))
    : pod.namespace === policy.namespace;
  return nsOk && (!peer.podSelector || matchesSelector(peer.podSelector, pod.labels));
}

/** A port entry against a connection's destination port; named ports resolve on the destination pod. */
export function portEntryMatches(
  entry: PolicyPort,
  dst: PodInfo | undefined,
  port: number,
  protocol: Protocol,
): boolean {
  if (entry.protocol !== protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') return port >= entry.port && port <= (entry.endPort ?? entry.port);
  const name = entry.port;
  return dst?.ports.some((p) => p.name === name && p.protocol === protocol && p.port === port) ?? false;
}
