import { formatIp, parseCidr, publicAddressIn } from './cidr.js';
import { DNS_LABELS, DNS_NAMESPACE } from './dns.js';
import { ClassEngine } from './engine.js';
import { evaluate } from './evaluate.js';
import { flowText } from './flows.js';
import { managedNamespaces, type ResolvedFlow } from './generate.js';
import { parseCluster } from './parse.js';
import { PortSet } from './port-set.js';
import { matchesSelector } from './selector.js';
import { type Cluster, type PodInfo, podResource } from './types.js';
import type { ResourceInput } from './values.js';

export interface Verification {
  /** every declared flow is allowed and nothing else is, between pods of managed namespaces */
  readonly exact: boolean;
  readonly missing: readonly string[];
  /** pairs whose allowed ports differ from the declared ones */
  readonly extra: readonly {
    readonly from: string;
    readonly to: string;
    readonly allowed: string;
    readonly expected: string;
  }[];
  readonly checkedPairs: number;
  readonly errors: readonly string[];
}

/** An address inside a CIDR to probe the engine with (a public one when there is one). */
function probeAddress(cidr: string): string {
  const r = parseCidr(cidr)!;
  return publicAddressIn(cidr, []) ?? formatIp(r.family, r.lo);
}

/**
 * Re-runs the engine on the input pods with only the generated policies: every declared flow
 * (plus DNS to kube-dns) must be allowed, and between pods where either end is in a managed
 * namespace, the allowed ports must equal the declared ones exactly.
 */
export function verifyGenerated(
  cluster: Cluster,
  flows: readonly ResolvedFlow[],
  generated: readonly Record<string, unknown>[],
): Verification {
  const parsed = parseCluster(
    generated.map((object): ResourceInput => ({ kind: 'NetworkPolicy', object, file: 'generated', line: 1 })),
  );
  const applied: Cluster = { ...cluster, policies: parsed.cluster.policies };
  const managed = new Set(managedNamespaces(flows));
  const dns = cluster.pods.filter(
    (p) =>
      p.namespace === DNS_NAMESPACE &&
      matchesSelector({ matchLabels: DNS_LABELS, matchExpressions: [] }, p.labels),
  );
  const declared = new Map<string, PortSet>();
  const add = (s: PodInfo, d: PodInfo, ports: PortSet) => {
    const k = `${podResource(s)}|${podResource(d)}`;
    declared.set(k, (declared.get(k) ?? PortSet.EMPTY).union(ports));
  };
  const missing: string[] = [];
  for (const f of flows) {
    const src =
      typeof f.src === 'string'
        ? { kind: 'external' as const, ip: probeAddress(f.src) }
        : { kind: 'pod' as const, pod: f.src };
    const dst =
      typeof f.dst === 'string'
        ? { kind: 'external' as const, ip: probeAddress(f.dst) }
        : { kind: 'pod' as const, pod: f.dst };
    if (!evaluate(applied, { src, dst, port: f.flow.port, protocol: f.flow.protocol }).allowed)
      missing.push(flowText(f.flow));
    if (typeof f.src !== 'string' && typeof f.dst !== 'string')
      add(f.src, f.dst, PortSet.of(f.flow.protocol, f.flow.port));
  }
  const dnsPorts = PortSet.of('UDP', 53).union(PortSet.of('TCP', 53));
  for (const p of cluster.pods)
    if (managed.has(p.namespace)) for (const d of dns) if (d !== p) add(p, d, dnsPorts);
  const engine = new ClassEngine(applied);
  const extra: Verification['extra'][number][] = [];
  let checkedPairs = 0;
  for (const s of cluster.pods) {
    for (const d of cluster.pods) {
      if (s === d && s.kind === 'Pod') continue;
      if (!managed.has(s.namespace) && !managed.has(d.namespace)) continue;
      checkedPairs++;
      const allowed = engine.allowed(engine.classOf.get(s)!, engine.classOf.get(d)!);
      const expected = declared.get(`${podResource(s)}|${podResource(d)}`) ?? PortSet.EMPTY;
      if (!allowed.equals(expected))
        extra.push({
          from: podResource(s),
          to: podResource(d),
          allowed: allowed.toString(),
          expected: expected.toString(),
        });
    }
  }
  return {
    exact: missing.length === 0 && extra.length === 0 && parsed.errors.length === 0,
    missing,
    extra,
    checkedPairs,
    errors: parsed.errors.map((e) => e.message),
  };
}
