import { peerMatches, policySelects, portEntryMatches } from './match.js';
import type { Cluster, Direction, Endpoint, NetworkPolicy, PodInfo, Protocol } from './types.js';
import { policyId } from './types.js';

export interface Connection {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface PolicyRef {
  readonly policy: string;
  readonly file: string;
  readonly line: number;
}

/** A rule that admitted the connection, with the peer and port entry that matched. */
export interface RuleMatch extends PolicyRef {
  readonly rule: number;
  readonly ruleLine: number;
  /** index of the matching peer; null when the rule has no peers (every peer) */
  readonly peer: number | null;
  /** index of the matching port entry; null when the rule has no ports (every port) */
  readonly portEntry: number | null;
}

export interface SideVerdict {
  readonly allowed: boolean;
  /** true when some policy selects the pod for this direction */
  readonly isolated: boolean;
  /** the policies that select the pod for this direction (the ones that could decide) */
  readonly policies: readonly PolicyRef[];
  /** the rules that allowed the connection (empty when denied or not isolated) */
  readonly rules: readonly RuleMatch[];
  readonly reason: string;
}

export interface Verdict {
  readonly allowed: boolean;
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
}

const ref = (p: NetworkPolicy): PolicyRef => ({
  policy: policyId(p),
  file: p.source.file,
  line: p.source.line,
});

function ruleMatches(
  cluster: Cluster,
  policy: NetworkPolicy,
  direction: Direction,
  other: Endpoint,
  dstPod: PodInfo | undefined,
  c: Connection,
): RuleMatch[] {
  const out: RuleMatch[] = [];
  policy[direction].forEach((rule, i) => {
    const peer =
      rule.peers.length === 0 ? null : rule.peers.findIndex((p) => peerMatches(cluster, policy, p, other));
    if (peer === -1) return;
    const portEntry =
      rule.ports.length === 0
        ? null
        : rule.ports.findIndex((p) => portEntryMatches(p, dstPod, c.port, c.protocol));
    if (portEntry === -1) return;
    out.push({ ...ref(policy), rule: i, ruleLine: rule.line, peer, portEntry });
  });
  return out;
}

/** One side of a connection: the source's egress or the destination's ingress. */
function evaluateSide(cluster: Cluster, direction: Direction, c: Connection): SideVerdict {
  const self = direction === 'egress' ? c.src : c.dst;
  const other = direction === 'egress' ? c.dst : c.src;
  if (self.kind !== 'pod') {
    return {
      allowed: true,
      isolated: false,
      policies: [],
      rules: [],
      reason: 'endpoint is outside the cluster',
    };
  }
  const selecting = cluster.policies.filter((p) => p.types[direction] && policySelects(p, self.pod));
  if (selecting.length === 0) {
    return {
      allowed: true,
      isolated: false,
      policies: [],
      rules: [],
      reason: `no NetworkPolicy selects the pod for ${direction}: not isolated, everything allowed`,
    };
  }
  const dstPod = c.dst.kind === 'pod' ? c.dst.pod : undefined;
  const rules = selecting.flatMap((p) => ruleMatches(cluster, p, direction, other, dstPod, c));
  return {
    allowed: rules.length > 0,
    isolated: true,
    policies: selecting.map(ref),
    rules,
    reason:
      rules.length > 0
        ? `allowed by ${rules.length} rule(s)`
        : `isolated for ${direction} by ${selecting.length} polic${selecting.length === 1 ? 'y' : 'ies'} and no rule allows it`,
  };
}

/**
 * Evaluates one connection pod by pod, exactly as networking/v1 defines it: each side is
 * allowed when its pod is not isolated for that direction or when some rule of some selecting
 * policy matches (rules and peers OR-ed); the connection needs both sides.
 */
export function evaluate(cluster: Cluster, c: Connection): Verdict {
  const egress = evaluateSide(cluster, 'egress', c);
  const ingress = evaluateSide(cluster, 'ingress', c);
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}
