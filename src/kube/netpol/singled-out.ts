import { flowText, type ResolvedFlow } from './flows.js';
import { type Cluster, type PodInfo, podResource } from './types.js';

/**
 * A workload that a generated policy cannot select alone: its pod labels are empty (the selector
 * `{}` is every pod of the namespace) or are all carried by another pod/workload of its
 * namespace (that one would get the same allowances). Generation writes nothing for it.
 */
export interface Unselectable {
  /** `Deployment/shop/worker` */
  readonly workload: string;
  readonly reason: 'no-labels' | 'shared-labels';
  /** the other pods/workloads of the namespace whose labels include all of this one's */
  readonly sharedWith: readonly string[];
  /** a pod-template label that would single it out, `key=value` */
  readonly labelToAdd: string;
  /** the declared flows that got no policy because of it */
  readonly flows: readonly string[];
}

const NAME_LABEL = 'app.kubernetes.io/name';
const INSTANCE_LABEL = 'app.kubernetes.io/instance';

const covers = (labels: PodInfo['labels'], of: PodInfo['labels']) =>
  Object.entries(of).every(([k, v]) => labels[k] === v);

function suggestion(p: PodInfo): string {
  if (p.labels[NAME_LABEL] === undefined) return `${NAME_LABEL}=${p.name}`;
  return `${INSTANCE_LABEL}=${`${p.kind}-${p.name}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-')}`;
}

/** Why `p` cannot be singled out by its labels, or undefined when it can. */
function check(cluster: Cluster, p: PodInfo): Omit<Unselectable, 'flows'> | undefined {
  const base = { workload: podResource(p), labelToAdd: suggestion(p) };
  if (Object.keys(p.labels).length === 0) return { ...base, reason: 'no-labels', sharedWith: [] };
  const sharedWith = cluster.pods
    .filter((o) => o !== p && o.namespace === p.namespace && covers(o.labels, p.labels))
    .map(podResource)
    .sort();
  return sharedWith.length ? { ...base, reason: 'shared-labels', sharedWith } : undefined;
}

/**
 * Splits the flows into those whose pod ends can each be singled out by their labels and those
 * that cannot: a policy for the latter would widen access to pods nobody declared.
 */
export function splitSelectable(
  cluster: Cluster,
  flows: readonly ResolvedFlow[],
): { readonly kept: ResolvedFlow[]; readonly unselectable: Unselectable[] } {
  const verdicts = new Map<PodInfo, Omit<Unselectable, 'flows'> | undefined>();
  const verdict = (p: PodInfo) => {
    if (!verdicts.has(p)) verdicts.set(p, check(cluster, p));
    return verdicts.get(p);
  };
  const dropped = new Map<string, { why: Omit<Unselectable, 'flows'>; flows: string[] }>();
  const kept: ResolvedFlow[] = [];
  for (const f of flows) {
    const bad = [f.src, f.dst].flatMap((e) => (typeof e === 'string' ? [] : [verdict(e)])).filter((v) => v);
    if (bad.length === 0) {
      kept.push(f);
      continue;
    }
    for (const why of bad) {
      const entry = dropped.get(why!.workload) ?? { why: why!, flows: [] };
      dropped.set(why!.workload, entry);
      entry.flows.push(flowText(f.flow));
    }
  }
  const unselectable = [...dropped.values()]
    .map(({ why, flows: texts }) => ({ ...why, flows: texts }))
    .sort((a, b) => (a.workload < b.workload ? -1 : 1));
  return { kept, unselectable };
}
