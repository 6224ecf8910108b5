import type { ClassEngine } from './engine.js';
import { PortSet } from './port-set.js';
import { type PodInfo, podId } from './types.js';

export type Granularity = 'workload' | 'namespace';

/** The node standing for every address outside the cluster. */
export const INTERNET = 'internet';

export interface MatrixEdge {
  readonly from: string;
  readonly to: string;
  /** `all`, or e.g. `TCP:80,443 UDP:53` */
  readonly ports: string;
}

export interface Matrix {
  readonly granularity: Granularity;
  readonly nodes: readonly string[];
  readonly edges: readonly MatrixEdge[];
  readonly classes: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One row of the class matrix per source class, computed once and shared by its members. */
function classRow(engine: ClassEngine, rows: Map<number, PortSet[]>, s: number): PortSet[] {
  let row = rows.get(s);
  if (!row) {
    row = engine.classes.map((d) => engine.allowed(s, d.id));
    rows.set(s, row);
  }
  return row;
}

function edgesByClass(
  engine: ClassEngine,
  pods: readonly PodInfo[],
  label: (p: PodInfo) => string,
): MatrixEdge[] {
  const edges: MatrixEdge[] = [];
  const rows = new Map<number, PortSet[]>();
  for (const src of pods) {
    const s = engine.classOf.get(src)!;
    const out = engine.internet('egress', s);
    if (!out.isEmpty()) edges.push({ from: label(src), to: INTERNET, ports: out.toString() });
    const inbound = engine.internet('ingress', s);
    if (!inbound.isEmpty()) edges.push({ from: INTERNET, to: label(src), ports: inbound.toString() });
    const row = classRow(engine, rows, s);
    for (const dst of pods) {
      // a pod talking to itself never crosses the network; replicas of one workload do
      if (src === dst && src.kind === 'Pod') continue;
      const ports = row[engine.classOf.get(dst)!]!;
      if (!ports.isEmpty()) edges.push({ from: label(src), to: label(dst), ports: ports.toString() });
    }
  }
  return edges;
}

function edgesByNamespace(engine: ClassEngine): MatrixEdge[] {
  const byNs = new Map<string, number[]>();
  for (const c of engine.classes) byNs.set(c.namespace, [...(byNs.get(c.namespace) ?? []), c.id]);
  const edges: MatrixEdge[] = [];
  const union = (ids: readonly number[], f: (id: number) => PortSet) =>
    ids.reduce((acc, id) => acc.union(f(id)), PortSet.EMPTY);
  for (const [a, srcIds] of byNs) {
    const out = union(srcIds, (id) => engine.internet('egress', id));
    if (!out.isEmpty()) edges.push({ from: a, to: INTERNET, ports: out.toString() });
    const inbound = union(srcIds, (id) => engine.internet('ingress', id));
    if (!inbound.isEmpty()) edges.push({ from: INTERNET, to: a, ports: inbound.toString() });
    for (const [b, dstIds] of byNs) {
      let ports = PortSet.EMPTY;
      for (const s of srcIds) for (const d of dstIds) ports = ports.union(engine.allowed(s, d));
      if (!ports.isEmpty()) edges.push({ from: a, to: b, ports: ports.toString() });
    }
  }
  return edges;
}

/** `NS/NAME`, or `NS/KIND/NAME` when a pod and a workload share a name (as `explain` accepts them). */
function nodeLabels(pods: readonly PodInfo[]): (p: PodInfo) => string {
  const counts = new Map<string, number>();
  for (const p of pods) counts.set(podId(p), (counts.get(podId(p)) ?? 0) + 1);
  return (p) => (counts.get(podId(p))! > 1 ? `${p.namespace}/${p.kind}/${p.name}` : podId(p));
}

/**
 * The allowed-connection matrix: per workload (every pod or workload) or per namespace (some
 * pod of A may reach some pod of B on these ports), plus the internet in both directions.
 */
export function buildMatrix(engine: ClassEngine, granularity: Granularity): Matrix {
  const pods = engine.cluster.pods;
  const label = nodeLabels(pods);
  const edges = granularity === 'workload' ? edgesByClass(engine, pods, label) : edgesByNamespace(engine);
  const nodes =
    granularity === 'workload' ? pods.map(label) : [...new Set(engine.classes.map((c) => c.namespace))];
  return {
    granularity,
    nodes: [...nodes, INTERNET].sort(cmp),
    edges: edges.sort((x, y) => cmp(x.from, y.from) || cmp(x.to, y.to)),
    classes: engine.classes.length,
  };
}
