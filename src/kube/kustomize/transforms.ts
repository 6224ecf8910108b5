import { isObject, type KResource, kindOf, meta, nameOf, type Obj } from './resource.js';
import type { Kustomization } from './schema.js';

/** Kinds that have no namespace (a `namespace:` leaves them alone). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'Node',
  'CSIDriver',
  'VolumeAttachment',
  'ClusterIssuer',
]);

const WORKLOADS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'ReplicationController',
]);

/** The pod specs inside a resource (a Pod's, a workload's template, a CronJob's job template). */
export function podSpecs(o: Obj): Obj[] {
  const kind = kindOf(o);
  const spec = isObject(o.spec) ? o.spec : undefined;
  if (!spec) return [];
  if (kind === 'Pod') return [spec];
  if (kind === 'CronJob') {
    const jt = isObject(spec.jobTemplate) ? spec.jobTemplate : undefined;
    const js = jt && isObject(jt.spec) ? jt.spec : undefined;
    const t = js && isObject(js.template) ? js.template : undefined;
    return t && isObject(t.spec) ? [t.spec] : [];
  }
  const t = isObject(spec.template) ? spec.template : undefined;
  return t && isObject(t.spec) ? [t.spec] : [];
}

function podTemplate(o: Obj): Obj | undefined {
  const spec = isObject(o.spec) ? o.spec : undefined;
  if (!spec) return undefined;
  if (kindOf(o) === 'CronJob') {
    const jt = isObject(spec.jobTemplate) ? spec.jobTemplate : undefined;
    const js = jt && isObject(jt.spec) ? jt.spec : undefined;
    return js && isObject(js.template) ? js.template : undefined;
  }
  return isObject(spec.template) ? spec.template : undefined;
}

function addTo(o: Obj, field: 'labels' | 'annotations', pairs: Record<string, string>): void {
  const m = meta(o);
  m[field] = { ...(isObject(m[field]) ? m[field] : {}), ...pairs };
}

export function setNamespace(resources: KResource[], ns: string): void {
  for (const r of resources) {
    const kind = kindOf(r.object);
    if (!CLUSTER_SCOPED.has(kind)) meta(r.object).namespace = ns;
    // kustomize moves ServiceAccount subjects of role bindings along with the namespace
    if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && Array.isArray(r.object.subjects))
      for (const s of r.object.subjects)
        if (
          isObject(s) &&
          s.kind === 'ServiceAccount' &&
          (s.namespace === undefined || s.namespace === 'default')
        )
          s.namespace = ns;
  }
}

export function prefixSuffix(resources: KResource[], prefix: string, suffix: string): void {
  for (const r of resources) {
    if (kindOf(r.object) === 'Namespace' || kindOf(r.object) === 'CustomResourceDefinition') continue;
    const m = meta(r.object);
    m.name = `${prefix}${nameOf(r.object)}${suffix}`;
  }
}

/** `commonLabels` (selectors too) and `labels` (selectors and templates only when asked). */
export function addLabels(
  resources: KResource[],
  pairs: Record<string, string>,
  selectors: boolean,
  templates: boolean,
): void {
  for (const r of resources) {
    const o = r.object;
    addTo(o, 'labels', pairs);
    const kind = kindOf(o);
    const spec = isObject(o.spec) ? o.spec : undefined;
    if (!spec) continue;
    if (selectors) {
      if (kind === 'Service' || kind === 'ReplicationController')
        spec.selector = { ...(isObject(spec.selector) ? spec.selector : {}), ...pairs };
      else if (WORKLOADS.has(kind) && kind !== 'Job') {
        const sel = isObject(spec.selector) ? spec.selector : {};
        sel.matchLabels = { ...(isObject(sel.matchLabels) ? sel.matchLabels : {}), ...pairs };
        spec.selector = sel;
      }
    }
    if (selectors || templates) {
      const t = podTemplate(o);
      if (t) addTo(t, 'labels', pairs);
    }
  }
}

export function addAnnotations(resources: KResource[], pairs: Record<string, string>): void {
  for (const r of resources) {
    addTo(r.object, 'annotations', pairs);
    const t = podTemplate(r.object);
    if (t) addTo(t, 'annotations', pairs);
  }
}

/** `images:` rewrites container images whose name (without tag or digest) matches. */
export function setImages(resources: KResource[], images: NonNullable<Kustomization['images']>): void {
  for (const r of resources)
    for (const spec of podSpecs(r.object))
      for (const field of ['containers', 'initContainers', 'ephemeralContainers'])
        for (const c of Array.isArray(spec[field]) ? spec[field] : []) {
          if (!isObject(c) || typeof c.image !== 'string') continue;
          const m = /^(.*?)(?:@(sha256:[0-9a-f]+))?$/.exec(c.image)!;
          const ref = m[1]!;
          const colon = ref.lastIndexOf(':');
          const hasTag = colon > ref.lastIndexOf('/');
          const name = hasTag ? ref.slice(0, colon) : ref;
          const tag = hasTag ? ref.slice(colon + 1) : undefined;
          const img = images.find((i) => i.name === name);
          if (!img) continue;
          const newName = img.newName ?? name;
          if (img.digest) c.image = `${newName}@${img.digest}`;
          else if (img.newTag) c.image = `${newName}:${img.newTag}`;
          else c.image = `${newName}${tag ? `:${tag}` : ''}${m[2] ? `@${m[2]}` : ''}`;
        }
}

/**
 * After renames (prefix, suffix, hash), references to ConfigMaps, Secrets and ServiceAccounts
 * by their first name follow the resource, as kustomize's name-reference transformer does for
 * pod specs and role bindings.
 */
export function fixNameReferences(resources: KResource[]): void {
  const renamed = new Map<string, string>();
  for (const r of resources) {
    const now = nameOf(r.object);
    if (now !== r.origName) renamed.set(`${r.origKind}/${r.origName}`, now);
  }
  if (renamed.size === 0) return;
  const fix = (kind: string, holder: Obj, field: string) => {
    const v = holder[field];
    if (typeof v === 'string' && renamed.has(`${kind}/${v}`)) holder[field] = renamed.get(`${kind}/${v}`);
  };
  for (const r of resources) {
    for (const spec of podSpecs(r.object)) {
      fix('ServiceAccount', spec, 'serviceAccountName');
      for (const s of Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : [])
        if (isObject(s)) fix('Secret', s, 'name');
      for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
        if (!isObject(v)) continue;
        if (isObject(v.configMap)) fix('ConfigMap', v.configMap, 'name');
        if (isObject(v.secret)) fix('Secret', v.secret, 'secretName');
        if (isObject(v.projected) && Array.isArray(v.projected.sources))
          for (const s of v.projected.sources) {
            if (isObject(s) && isObject(s.configMap)) fix('ConfigMap', s.configMap, 'name');
            if (isObject(s) && isObject(s.secret)) fix('Secret', s.secret, 'name');
          }
      }
      for (const field of ['containers', 'initContainers', 'ephemeralContainers'])
        for (const c of Array.isArray(spec[field]) ? spec[field] : []) {
          if (!isObject(c)) continue;
          for (const e of Array.isArray(c.envFrom) ? c.envFrom : []) {
            if (isObject(e) && isObject(e.configMapRef)) fix('ConfigMap', e.configMapRef, 'name');
            if (isObject(e) && isObject(e.secretRef)) fix('Secret', e.secretRef, 'name');
          }
          for (const e of Array.isArray(c.env) ? c.env : []) {
            const from = isObject(e) && isObject(e.valueFrom) ? e.valueFrom : undefined;
            if (from && isObject(from.configMapKeyRef)) fix('ConfigMap', from.configMapKeyRef, 'name');
            if (from && isObject(from.secretKeyRef)) fix('Secret', from.secretKeyRef, 'name');
          }
        }
    }
    const kind = kindOf(r.object);
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      if (isObject(r.object.roleRef)) fix(String(r.object.roleRef.kind ?? ''), r.object.roleRef, 'name');
      for (const s of Array.isArray(r.object.subjects) ? r.object.subjects : [])
        if (isObject(s) && s.kind === 'ServiceAccount') fix('ServiceAccount', s, 'name');
    }
  }
}
