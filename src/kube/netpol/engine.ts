import { BitSet } from './bitset.js';
import { ipBlockMatcher, reachesPublic } from './cidr.js';
import { buildClasses, type Classes, type PodClass } from './classes.js';
import { PortSet } from './port-set.js';
import { matchesSelector, selectorKey } from './selector.js';
import type { Cluster, Direction, NetworkPolicy, PolicyPeer, PolicyPort } from './types.js';

/** A rule compiled against classes: which classes its peers match, and its ports. */
interface CompiledRule {
  /** null: the rule has no peers and matches every peer, in or out of the cluster */
  readonly peers: BitSet | null;
  readonly ports: readonly PolicyPort[];
  readonly hasNamedPort: boolean;
  /** the rule reaches some public internet address (no peers, or an ipBlock with public space) */
  readonly publicPeer: boolean;
  readonly resolved: Map<number, PortSet>;
}

/** Ports of a rule for one destination class: numbers and ranges as written, names resolved on the class. */
export function resolvePorts(ports: readonly PolicyPort[], dst: PodClass | undefined): PortSet {
  if (ports.length === 0) return PortSet.ALL;
  let out = PortSet.EMPTY;
  for (const p of ports) {
    if (p.port === undefined) out = out.union(PortSet.allOf(p.protocol));
    else if (typeof p.port === 'number') out = out.union(PortSet.of(p.protocol, p.port, p.endPort ?? p.port));
    else {
      for (const np of dst?.namedPorts ?? []) {
        if (np.name === p.port && np.protocol === p.protocol)
          out = out.union(PortSet.of(p.protocol, np.port));
      }
    }
  }
  return out;
}

function portsFor(rule: CompiledRule, dst: PodClass): PortSet {
  const key = rule.hasNamedPort ? dst.id : -1;
  const hit = rule.resolved.get(key);
  if (hit) return hit;
  const set = resolvePorts(rule.ports, dst);
  rule.resolved.set(key, set);
  return set;
}

/**
 * The class-based engine: policies are compiled once against pod classes (bitsets of the
 * classes each peer matches), then any pair of classes is answered with the exact set of
 * allowed ports without looking at individual pods.
 */
export class ClassEngine {
  readonly classes: readonly PodClass[];
  readonly classOf: Classes['classOf'];
  private readonly rules: Record<Direction, CompiledRule[][]>;
  private readonly isolated: Record<Direction, boolean[]>;
  private readonly byNamespace = new Map<string, PodClass[]>();

  constructor(readonly cluster: Cluster) {
    const built = buildClasses(cluster);
    this.classes = built.classes;
    this.classOf = built.classOf;
    for (const c of this.classes) {
      const list = this.byNamespace.get(c.namespace);
      if (list) list.push(c);
      else this.byNamespace.set(c.namespace, [c]);
    }
    const n = this.classes.length;
    this.rules = { ingress: this.classes.map(() => []), egress: this.classes.map(() => []) };
    this.isolated = { ingress: new Array(n).fill(false), egress: new Array(n).fill(false) };
    const peerCache = new Map<string, BitSet>();
    for (const policy of cluster.policies) this.compilePolicy(policy, peerCache);
  }

  private compilePolicy(policy: NetworkPolicy, peerCache: Map<string, BitSet>): void {
    const selected = (this.byNamespace.get(policy.namespace) ?? []).filter((c) =>
      matchesSelector(policy.podSelector, c.labels),
    );
    for (const direction of ['ingress', 'egress'] as const) {
      if (!policy.types[direction] || selected.length === 0) continue;
      const compiled = policy[direction].map((rule): CompiledRule => {
        let peers: BitSet | null = null;
        if (rule.peers.length > 0) {
          peers = new BitSet(this.classes.length);
          for (const peer of rule.peers) peers.orWith(this.peerClasses(policy, peer, peerCache));
        }
        return {
          peers,
          ports: rule.ports,
          hasNamedPort: rule.ports.some((p) => typeof p.port === 'string'),
          publicPeer:
            rule.peers.length === 0 ||
            rule.peers.some((p) => p.kind === 'ipBlock' && reachesPublic(p.cidr, p.except)),
          resolved: new Map(),
        };
      });
      for (const c of selected) {
        this.isolated[direction][c.id] = true;
        for (const item of compiled) this.rules[direction][c.id]!.push(item);
      }
    }
  }

  /** The classes a peer matches: pod peers look only at the namespaces they can match. */
  private peerClasses(policy: NetworkPolicy, peer: PolicyPeer, cache: Map<string, BitSet>): BitSet {
    const key =
      peer.kind === 'ipBlock'
        ? `ip|${peer.cidr}|${peer.except.join(',')}`
        : `pods|${peer.namespaceSelector ? selectorKey(peer.namespaceSelector) : `=${policy.namespace}`}|${
            peer.podSelector ? selectorKey(peer.podSelector) : '*'
          }`;
    const hit = cache.get(key);
    if (hit) return hit;
    const set = new BitSet(this.classes.length);
    if (peer.kind === 'ipBlock') {
      const contains = ipBlockMatcher(peer.cidr, peer.except);
      for (const c of this.classes) if (c.ips.some(contains)) set.add(c.id);
    } else {
      const nsSel = peer.namespaceSelector;
      const namespaces = nsSel
        ? [...this.byNamespace.keys()].filter((ns) =>
            matchesSelector(nsSel, this.byNamespace.get(ns)![0]!.namespaceLabels),
          )
        : [policy.namespace];
      for (const ns of namespaces) {
        for (const c of this.byNamespace.get(ns) ?? []) {
          if (!peer.podSelector || matchesSelector(peer.podSelector, c.labels)) set.add(c.id);
        }
      }
    }
    cache.set(key, set);
    return set;
  }

  isIsolated(direction: Direction, classId: number): boolean {
    return this.isolated[direction][classId]!;
  }

  /** Ports one side allows between two classes (`self` is the source for egress, the destination for ingress). */
  side(direction: Direction, self: number, other: number): PortSet {
    if (!this.isolated[direction][self]) return PortSet.ALL;
    const dst = this.classes[direction === 'ingress' ? self : other]!;
    let out = PortSet.EMPTY;
    for (const rule of this.rules[direction][self]!) {
      if (rule.peers && !rule.peers.has(other)) continue;
      out = out.union(portsFor(rule, dst));
      if (out === PortSet.ALL) break;
    }
    return out;
  }

  /** The exact ports a pod of class `src` may open to a pod of class `dst` (both sides must allow). */
  allowed(src: number, dst: number): PortSet {
    const egress = this.side('egress', src, dst);
    if (egress.isEmpty()) return egress;
    return egress.intersect(this.side('ingress', dst, src));
  }

  /** Ports on which some public internet address may reach / be reached by the class. */
  internet(direction: Direction, classId: number): PortSet {
    if (!this.isolated[direction][classId]) return PortSet.ALL;
    let out = PortSet.EMPTY;
    for (const rule of this.rules[direction][classId]!) {
      if (!rule.publicPeer) continue;
      // named ports never match an address outside the cluster
      out = out.union(
        direction === 'ingress'
          ? portsFor(rule, this.classes[classId]!)
          : resolvePorts(rule.ports, undefined),
      );
    }
    return out;
  }
}
