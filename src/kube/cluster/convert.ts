import type { KubeResource } from '../load/index.js';

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
): KubeResource | undefined {
  if (!isObj(item) || !isObj(item.metadata)) return undefined;
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
    lineOf: () => undefined,
  };
}
