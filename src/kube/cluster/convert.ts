import type { KubeResource } from '../load/index.js';

/** A resource read from an API server has no source lines. */
const noLine = (): undefined => undefined;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Annotations that only repeat the object (and, on a Secret, its values): never kept. */
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

function slimMetadata(meta: Obj): Obj {
  const { managedFields: _managed, ...rest } = meta;
  if (isObj(rest.annotations)) {
    const annotations = { ...rest.annotations };
    for (const a of DROPPED_ANNOTATIONS) delete annotations[a];
    rest.annotations = annotations;
  }
  return rest;
}

/**
 * A list item as the loader would have produced it from `kubectl get -o yaml`: `apiVersion` and
 * `kind` restored (list items omit them), `file` = `cluster:<context>`, line 0 (no source text).
 */
export function toKubeResource(
  item: unknown,
  kind: string,
  apiVersion: string,
  file: string,
  text?: (s: string) => string,
): KubeResource | undefined {
  if (!isObj(item) || !isObj(item.metadata)) return undefined;
  if (text) shareStrings(item, text);
  const metadata = slimMetadata(item.metadata);
  const object: Obj = { ...item, apiVersion, kind, metadata };
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return {
    apiVersion,
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    object,
    file,
    line: 0,
    lineOf: noLine,
  };
}

/**
 * Replaces, in place, every string value of a freshly parsed item by `text`'s copy: the pods of a
 * ReplicaSet repeat its images, labels, names and timestamps, and a cluster's 20k resources kept
 * one copy per pod of each.
 */
function shareStrings(value: unknown, text: (s: string) => string): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'string') value[i] = text(v);
      else if (typeof v === 'object' && v !== null) shareStrings(v, text);
    }
    return;
  }
  if (!isObj(value)) return;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v === 'string') value[key] = text(v);
    else if (typeof v === 'object' && v !== null) shareStrings(v, text);
  }
}
