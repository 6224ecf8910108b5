import type { ClusterImage } from '../../scan/index.js';

/** One container of a workload and the image it ran. */
export interface WorkloadImage {
  readonly resource: string;
  readonly container: string;
  /** `REF@sha256:...` (or the reference alone when it could not be resolved) */
  readonly images: readonly string[];
}

/** What changed in a cluster's workload images since its previous scan. */
export interface ClusterChanges {
  /** the job id of the scan compared against; null on a cluster's first scan */
  readonly previousScan: string | null;
  /** workload containers (and their images) not there before */
  readonly added: readonly WorkloadImage[];
  readonly removed: readonly WorkloadImage[];
  /** workload containers whose image (reference or digest) is not what it was */
  readonly changed: readonly {
    readonly resource: string;
    readonly container: string;
    readonly from: readonly string[];
    readonly to: readonly string[];
  }[];
  /** digests no workload ran at the previous scan: those were pulled and scanned */
  readonly newImages: readonly string[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function byWorkload(images: readonly ClusterImage[]): Map<string, WorkloadImage> {
  const sets = new Map<string, { resource: string; container: string; images: Set<string> }>();
  for (const image of images) {
    for (const w of image.workloads) {
      const key = `${w.resource}\u0000${w.container}`;
      const entry = sets.get(key) ?? { resource: w.resource, container: w.container, images: new Set() };
      entry.images.add(image.digest && !w.image.includes('@') ? `${w.image}@${image.digest}` : w.image);
      sets.set(key, entry);
    }
  }
  return new Map(
    [...sets].map(([k, v]) => [
      k,
      { resource: v.resource, container: v.container, images: [...v.images].sort(cmp) },
    ]),
  );
}

const digestsOf = (images: readonly ClusterImage[]) =>
  new Set(images.flatMap((i) => (i.digest ? [i.digest] : [])));

/** Workload by workload: added, removed and changed images, and the digests new to the cluster. */
export function clusterChanges(
  current: readonly ClusterImage[],
  previous: { readonly jobId: string; readonly images: readonly ClusterImage[] } | undefined,
): ClusterChanges {
  const now = byWorkload(current);
  const before = byWorkload(previous?.images ?? []);
  const added: WorkloadImage[] = [];
  const removed: WorkloadImage[] = [];
  const changed: ClusterChanges['changed'][number][] = [];
  for (const [key, w] of now) {
    const old = before.get(key);
    if (!old) added.push(w);
    else if (old.images.join('\n') !== w.images.join('\n'))
      changed.push({ resource: w.resource, container: w.container, from: old.images, to: w.images });
  }
  for (const [key, w] of before) if (!now.has(key)) removed.push(w);
  const seen = digestsOf(previous?.images ?? []);
  type Keyed = { readonly resource: string; readonly container: string };
  const order = (a: Keyed, b: Keyed) => cmp(a.resource, b.resource) || cmp(a.container, b.container);
  return {
    previousScan: previous?.jobId ?? null,
    added: added.sort(order),
    removed: removed.sort(order),
    changed: changed.sort(order),
    newImages: [...digestsOf(current)].filter((d) => !seen.has(d)).sort(cmp),
  };
}
