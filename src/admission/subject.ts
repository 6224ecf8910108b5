import { isDeepStrictEqual } from 'node:util';
import {
  isObj,
  type KubeResource,
  type Obj,
  podTemplateOf,
  podTemplatePrefix,
  toKubeResource,
  visitContainers,
} from '../kube/index.js';
import type { AdmissionRequest } from './review/schema.js';

/** What the webhook judges in a request, or why it lets it through unjudged. */
export type Subject =
  | { readonly type: 'skip'; readonly reason: string }
  | {
      readonly type: 'judge';
      readonly resource: KubeResource;
      /** a Pod (or its ephemeral containers); other kinds carry a pod template */
      readonly pod: boolean;
    };

/** The `file` admission findings carry in `location.path`. */
export const ADMISSION_SOURCE = 'admission';

const SECURITY_ANNOTATION =
  /^(container\.)?(seccomp\.security\.alpha|apparmor\.security\.beta)\.kubernetes\.io\//;

function securityAnnotations(meta: Obj): Record<string, unknown> {
  const a = isObj(meta.annotations) ? meta.annotations : {};
  return Object.fromEntries(Object.entries(a).filter(([k]) => SECURITY_ANNOTATION.test(k)));
}

function containerKey(c: Obj): unknown[] {
  return [c.name, c.image, c.securityContext];
}

/**
 * Pod Security Admission's "significant pod update" (images, container set, ephemeral containers
 * added, seccomp/AppArmor annotations), plus any change of a pod or container securityContext.
 */
export function significantPodChange(pod: Obj, old: Obj): boolean {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const oldSpec = isObj(old.spec) ? old.spec : {};
  const meta = isObj(pod.metadata) ? pod.metadata : {};
  const oldMeta = isObj(old.metadata) ? old.metadata : {};
  if (!isDeepStrictEqual(securityAnnotations(meta), securityAnnotations(oldMeta))) return true;
  if (!isDeepStrictEqual(spec.securityContext, oldSpec.securityContext)) return true;
  const now = visitContainers(spec);
  const before = visitContainers(oldSpec);
  const regular = (list: typeof now) => list.filter((c) => c.kind !== 'ephemeralContainers').length;
  if (regular(now) !== regular(before)) return true;
  const oldByName = new Map(before.map((c) => [`${c.kind}/${c.name}`, c.container]));
  return now.some((c) => {
    const before = oldByName.get(`${c.kind}/${c.name}`);
    return before === undefined || !isDeepStrictEqual(containerKey(c.container), containerKey(before));
  });
}

/** A workload UPDATE matters when its pod template (metadata or spec) changed, as PSA decides. */
function templateChanged(kind: string, object: Obj, old: Obj): boolean {
  const a = podTemplateOf({ kind, object });
  const b = podTemplateOf({ kind, object: old });
  return !isDeepStrictEqual(a?.spec, b?.spec) || !isDeepStrictEqual(a?.metadata, b?.metadata);
}

/** Decides what a request puts to judgement: Pods, pod-template kinds, `pods/ephemeralcontainers`; CREATE and UPDATE. */
export function subjectOf(request: AdmissionRequest): Subject {
  const kind = request.kind.kind;
  const sub = request.subResource ?? '';
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE')
    return { type: 'skip', reason: `${request.operation} is not judged` };
  if (!podTemplatePrefix(kind)) return { type: 'skip', reason: `kind ${kind} carries no pod` };
  if (sub !== '' && !(kind === 'Pod' && sub === 'ephemeralcontainers'))
    return { type: 'skip', reason: `subresource ${request.resource.resource}/${sub} is not judged` };
  const object = request.object;
  if (!object || !isObj(object.metadata)) return { type: 'skip', reason: 'the request carries no object' };
  const pod = kind === 'Pod';
  if (request.operation === 'UPDATE' && request.oldObject) {
    const changed = pod
      ? significantPodChange(object, request.oldObject)
      : templateChanged(kind, object, request.oldObject);
    if (!changed) return { type: 'skip', reason: 'the update changes no image or security setting' };
  }
  const apiVersion = request.kind.group
    ? `${request.kind.group}/${request.kind.version}`
    : request.kind.version;
  const metadata = {
    ...object.metadata,
    ...(request.namespace && !object.metadata.namespace ? { namespace: request.namespace } : {}),
    ...(request.name && !object.metadata.name ? { name: request.name } : {}),
  };
  const resource = toKubeResource({ ...object, metadata }, kind, apiVersion, ADMISSION_SOURCE);
  if (!resource) return { type: 'skip', reason: 'the request carries no object' };
  return { type: 'judge', resource, pod };
}
