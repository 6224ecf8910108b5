import type { KubeResource, ObjectPath } from '../load/index.js';
import { isObj, type Obj } from './view.js';

/** The pod template found in a workload: its spec and metadata, with their paths inside the resource. */
export interface PodTemplate {
  readonly spec: Obj;
  readonly metadata: Obj;
  readonly specPath: ObjectPath;
  readonly metadataPath: ObjectPath;
}

/** Where each workload kind keeps its pod template (the prefix before `spec`/`metadata`). */
const TEMPLATE_PREFIX: Readonly<Record<string, ObjectPath>> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(TEMPLATE_PREFIX).sort();

function at(root: unknown, path: ObjectPath): unknown {
  let v = root;
  for (const key of path) v = isObj(v) ? v[key as string] : undefined;
  return v;
}

/** The pod template of a workload resource, or undefined for other kinds (or a template without spec). */
export function podTemplateOf(resource: Pick<KubeResource, 'kind' | 'object'>): PodTemplate | undefined {
  const prefix = TEMPLATE_PREFIX[resource.kind];
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
