import type { ObjectPath } from './types.js';

/**
 * Where each kind keeps its pod template: the path before `spec`/`metadata` (a Pod is its own
 * template). The one table every Kubernetes check uses (workload checks, network policy).
 */
export const POD_TEMPLATE_PREFIX: Readonly<Record<string, ObjectPath>> = {
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

/** The path of `kind`'s pod template, or undefined when the kind carries none. */
export function podTemplatePrefix(kind: string): ObjectPath | undefined {
  return Object.hasOwn(POD_TEMPLATE_PREFIX, kind) ? POD_TEMPLATE_PREFIX[kind] : undefined;
}
