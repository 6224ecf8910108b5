import { type KubeResource, resourceRef } from '../load/index.js';
import { podTemplateOf } from './pod-specs.js';
import { type ContainerKind, isObj, type Obj, objs, str, visitContainers } from './view.js';

/** One container of a workload and the image it runs, attributed to the workload a user manages. */
export interface ImageUse {
  /** `Kind/namespace/name` of the top-most owner that was collected (a Deployment, not its ReplicaSet or Pods) */
  readonly resource: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly container: string;
  readonly containerKind: ContainerKind;
  /** `spec.containers[].image` as written */
  readonly image: string;
  /** the digest the kubelet reports running (`status.containerStatuses[].imageID`), when a pod has one */
  readonly runningDigest?: string;
  /** imagePullSecrets of the pod spec and of its service account, by name (same namespace) */
  readonly pullSecrets: readonly string[];
}

const DIGEST_IN_ID = /@(sha256:[a-f0-9]{64})$/;
const MAX_OWNER_DEPTH = 8;

function uidOf(r: KubeResource): string | undefined {
  const meta = r.object.metadata;
  return isObj(meta) && typeof meta.uid === 'string' ? meta.uid : undefined;
}

function controllerUid(r: KubeResource): string | undefined {
  const meta = isObj(r.object.metadata) ? r.object.metadata : undefined;
  const refs = objs(meta, 'ownerReferences');
  const owner = refs.find((o) => o.controller === true) ?? refs[0];
  return owner ? str(owner, 'uid') || undefined : undefined;
}

/** Walks `ownerReferences` up through the collected resources (Pod → ReplicaSet → Deployment). */
function topOwner(r: KubeResource, byUid: ReadonlyMap<string, KubeResource>): KubeResource {
  let current = r;
  for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
    const uid = controllerUid(current);
    const owner = uid ? byUid.get(uid) : undefined;
    if (!owner || owner === current) return current;
    current = owner;
  }
  return current;
}

/** name → running digest, from a Pod's container statuses (any of the three kinds). */
function runningDigests(pod: KubeResource): Map<string, string> {
  const out = new Map<string, string>();
  const status = isObj(pod.object.status) ? pod.object.status : undefined;
  for (const key of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses']) {
    for (const s of objs(status, key)) {
      const digest = DIGEST_IN_ID.exec(str(s, 'imageID'))?.[1];
      if (digest) out.set(str(s, 'name'), digest);
    }
  }
  return out;
}

function secretNames(spec: Obj | undefined): string[] {
  return objs(spec, 'imagePullSecrets')
    .map((s) => str(s, 'name'))
    .filter(Boolean);
}

/**
 * Every container image the collected workloads and pods run, each use attributed to its top-most
 * collected owner and deduplicated on (owner, container, image, running digest): a Deployment's
 * image appears once even though its ReplicaSet and Pods name it too.
 */
export function workloadImages(resources: readonly KubeResource[]): ImageUse[] {
  const byUid = new Map<string, KubeResource>();
  for (const r of resources) {
    const uid = uidOf(r);
    if (uid) byUid.set(uid, r);
  }
  const accounts = new Map<string, string[]>();
  for (const r of resources) {
    if (r.kind === 'ServiceAccount') accounts.set(`${r.namespace}/${r.name}`, secretNames(r.object));
  }
  const seen = new Set<string>();
  const out: ImageUse[] = [];
  for (const r of resources) {
    const template = podTemplateOf(r);
    if (!template) continue;
    const owner = topOwner(r, byUid);
    const digests = r.kind === 'Pod' ? runningDigests(r) : new Map<string, string>();
    const account = str(template.spec, 'serviceAccountName') || 'default';
    const pullSecrets = [
      ...new Set([...secretNames(template.spec), ...(accounts.get(`${r.namespace}/${account}`) ?? [])]),
    ];
    for (const c of visitContainers(template.spec)) {
      const image = str(c.container, 'image').trim();
      if (!image) continue;
      const runningDigest = digests.get(c.name);
      const key = `${resourceRef(owner)}|${c.name}|${image}|${runningDigest ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        resource: resourceRef(owner),
        kind: owner.kind,
        ...(owner.namespace ? { namespace: owner.namespace } : {}),
        name: owner.name,
        container: c.name,
        containerKind: c.kind,
        image,
        ...(runningDigest ? { runningDigest } : {}),
        pullSecrets,
      });
    }
  }
  return out;
}
