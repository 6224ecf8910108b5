import { findPod } from './endpoints.js';
import type { ClassEngine } from './engine.js';
import { exposingServices } from './exposure.js';
import { type PodInfo, podResource } from './types.js';

export interface Reached {
  readonly target: string;
  readonly hops: number;
  /** the previous hop on one shortest path */
  readonly via: string;
  /** ports the previous hop may open to this target */
  readonly ports: string;
}

export interface EntryPoint {
  readonly entry: string;
  /** internet -> entry is hop 1; hops counts up to the compromised workload */
  readonly hops: number;
  readonly ports: string;
  readonly exposure: readonly string[];
}

export interface BlastRadius {
  readonly from: string;
  readonly reachable: readonly Reached[];
  /** reached workloads (and the start) that may open connections to the internet */
  readonly internetEgress: readonly {
    readonly source: string;
    readonly hops: number;
    readonly ports: string;
  }[];
  readonly entryPoints: readonly EntryPoint[];
}

/** Shortest hop counts over the class graph, forwards (who c0 reaches) or backwards (who reaches c0). */
function bfs(engine: ClassEngine, start: number, forward: boolean): { dist: number[]; pred: number[] } {
  const n = engine.classes.length;
  const dist = new Array<number>(n).fill(-1);
  const pred = new Array<number>(n).fill(-1);
  dist[start] = 0;
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (let v = 0; v < n; v++) {
      if (dist[v] !== -1) continue;
      const ports = forward ? engine.allowed(u, v) : engine.allowed(v, u);
      if (ports.isEmpty()) continue;
      dist[v] = dist[u]! + 1;
      pred[v] = u;
      queue.push(v);
    }
  }
  return { dist, pred };
}

/** Shortest path from a class back to itself (for replicas of the start workload). */
function cycleLength(engine: ClassEngine, start: number, dist: readonly number[]): number {
  let best = -1;
  dist.forEach((d, u) => {
    if (d >= 0 && !engine.allowed(u, start).isEmpty() && (best === -1 || d + 1 < best)) best = d + 1;
  });
  return best;
}

function exposureOf(engine: ClassEngine, pod: PodInfo): string[] {
  const c = engine.classOf.get(pod)!;
  const inbound = engine.internet('ingress', c);
  if (inbound.isEmpty()) return [];
  const out = exposingServices(engine.cluster, pod).map(
    (svc) => `Service/${svc.namespace}/${svc.name} (${svc.type})`,
  );
  if (engine.isIsolated('ingress', c))
    out.push(`NetworkPolicy ingress admits public addresses on ${inbound}`);
  return out;
}

/**
 * Everything a compromised workload reaches, transitively, with hop counts and ports; and the
 * internet entry points (pods admitting public addresses behind a LoadBalancer/NodePort
 * Service or an explicit ingress rule) from which an attacker can walk to it.
 */
export function blastRadius(engine: ClassEngine, ref: string): BlastRadius {
  const start = findPod(engine.cluster, ref);
  const c0 = engine.classOf.get(start)!;
  const fwd = bfs(engine, c0, true);
  const back = bfs(engine, c0, false);
  const cycle = cycleLength(engine, c0, fwd.dist);
  const name = (c: number) => podResource(engine.classes[c]!.members[0]!);
  const reachable: Reached[] = [];
  const internetEgress: BlastRadius['internetEgress'][number][] = [];
  for (const pod of engine.cluster.pods) {
    const c = engine.classOf.get(pod)!;
    const hops = pod === start ? 0 : c === c0 ? cycle : fwd.dist[c]!;
    if (hops < 0) continue;
    const out = engine.internet('egress', c);
    if (!out.isEmpty()) internetEgress.push({ source: podResource(pod), hops, ports: out.toString() });
    if (pod === start) continue;
    const prev = c === c0 ? c0 : fwd.pred[c]!;
    reachable.push({
      target: podResource(pod),
      hops,
      via: prev === c0 ? podResource(start) : name(prev),
      ports: engine.allowed(prev, c).toString(),
    });
  }
  const entryPoints: EntryPoint[] = [];
  for (const pod of engine.cluster.pods) {
    const c = engine.classOf.get(pod)!;
    const d = pod === start ? 0 : back.dist[c]!;
    if (d < 0) continue;
    const exposure = exposureOf(engine, pod);
    if (exposure.length === 0) continue;
    entryPoints.push({
      entry: podResource(pod),
      hops: d + 1,
      ports: engine.internet('ingress', c).toString(),
      exposure,
    });
  }
  const byHops =
    <T extends { hops: number }>(key: (x: T) => string) =>
    (a: T, b: T) =>
      a.hops - b.hops || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    from: podResource(start),
    reachable: reachable.sort(byHops((x) => x.target)),
    internetEgress: internetEgress.sort(byHops((x) => x.source)),
    entryPoints: entryPoints.sort(byHops((x) => x.entry)),
  };
}

export function renderBlastRadius(b: BlastRadius): string {
  const lines = [`Blast radius of ${b.from}: ${b.reachable.length} reachable`];
  for (const r of b.reachable) lines.push(`  hop ${r.hops}  ${r.target}  via ${r.via}  ${r.ports}`);
  lines.push(`Internet egress: ${b.internetEgress.length}`);
  for (const e of b.internetEgress) lines.push(`  hop ${e.hops}  ${e.source}  ${e.ports}`);
  lines.push(`Internet entry points leading here: ${b.entryPoints.length}`);
  for (const e of b.entryPoints)
    lines.push(`  ${e.hops} hop(s)  ${e.entry}  ${e.ports}  [${e.exposure.join('; ')}]`);
  return `${lines.join('\n')}\n`;
}
