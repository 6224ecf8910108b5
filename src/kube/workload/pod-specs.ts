import { type KubeResource, type ObjectPath, POD_TEMPLATE_PREFIX, podTemplatePrefix } from '../load/index.js';
import { isObj, type Obj } from './view.js';

/** The pod template found in a workload: its spec and metadata, with their paths inside the resource. */
export interface PodTemplate {
  readonly spec: Obj;
  readonly metadata: Obj;
  readonly specPath: ObjectPath;
  readonly metadataPath: ObjectPath;
}

export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_PREFIX).sort();

function at(root: unknown, path: ObjectPath): unknown {
  let v = root;
  for (const key of path) v = isObj(v) ? v[key as string] : undefined;
  return v;
}

/** The pod template of a workload resource, or undefined for other kinds (or a template without spec). */
export function podTemplateOf(resource: Pick<KubeResource, 'kind' | 'object'>): PodTemplate | undefined {
  const prefix = podTemplatePrefix(resource.kind);
  if (!prefix) return undefined;
  const spec = at(resource.object, [...prefix, 'spec']);
  if (!isObj(spec)) return undefined;
  const metadata = at(resource.object, [...prefix, 'metadata']);
  return {
    spec,
    metadata: isObj(metadata) ? metadata : {},
    specPath: [...prefix, 'spec'],
    metadataPath: [...prefix, 'metadata'],
  };
}
