import { ipBlockMatcher } from './cidr.js';
import { namespaceLabels } from './match.js';
import type { Cluster, Labels, NamedPort, PodInfo } from './types.js';

/**
 * Pods that no policy can tell apart: same namespace (hence same namespace labels), same pod
 * labels, same named ports, and the same answer to every ipBlock of every policy.
 */
export interface PodClass {
  readonly id: number;
  readonly namespace: string;
  readonly namespaceLabels: Labels;
  readonly labels: Labels;
  readonly namedPorts: readonly NamedPort[];
  /** the IPs of one member: every member gives the same ipBlock answers */
  readonly ips: readonly string[];
  readonly members: readonly PodInfo[];
}

export interface Classes {
  readonly classes: readonly PodClass[];
  readonly classOf: ReadonlyMap<PodInfo, number>;
}

const sortedEntries = (l: Labels) => Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function namedPorts(pod: PodInfo): NamedPort[] {
  const out = new Map<string, NamedPort>();
  for (const p of pod.ports) {
    if (p.name)
      out.set(`${p.name}/${p.protocol}/${p.port}`, { name: p.name, port: p.port, protocol: p.protocol });
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}

function ipBlocks(cluster: Cluster): ((ip: string) => boolean)[] {
  const seen = new Map<string, (ip: string) => boolean>();
  for (const p of cluster.policies) {
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind === 'ipBlock')
          seen.set(`${peer.cidr}|${peer.except.join(',')}`, ipBlockMatcher(peer.cidr, peer.except));
      }
    }
  }
  return [...seen.values()];
}

/** Groups pods into equivalence classes (deterministic order: first member's position). */
export function buildClasses(cluster: Cluster): Classes {
  const blocks = ipBlocks(cluster);
  const byKey = new Map<string, { id: number; members: PodInfo[]; ports: NamedPort[]; pod: PodInfo }>();
  const classOf = new Map<PodInfo, number>();
  for (const pod of cluster.pods) {
    const ports = namedPorts(pod);
    const ipSig =
      pod.ips.length === 0 || blocks.length === 0
        ? ''
        : blocks.map((b) => (pod.ips.some(b) ? '1' : '0')).join('');
    const key = JSON.stringify([
      pod.namespace,
      sortedEntries(pod.labels),
      ports.map((p) => `${p.name}/${p.protocol}/${p.port}`),
      ipSig,
    ]);
    let entry = byKey.get(key);
    if (!entry) {
      entry = { id: byKey.size, members: [], ports, pod };
      byKey.set(key, entry);
    }
    entry.members.push(pod);
    classOf.set(pod, entry.id);
  }
  const classes = [...byKey.values()].map(
    (e): PodClass => ({
      id: e.id,
      namespace: e.pod.namespace,
      namespaceLabels: namespaceLabels(cluster, e.pod.namespace),
      labels: e.pod.labels,
      namedPorts: e.ports,
      ips: e.pod.ips,
      members: e.members,
    }),
  );
  return { classes, classOf };
}
