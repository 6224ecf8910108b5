import type { KubeResource, ObjectPath } from './types.js';

/** `Kind/namespace/name` (or `Kind/name` for cluster-scoped or namespace-less resources), as findings name them. */
export function resourceRef(r: Pick<KubeResource, 'kind' | 'name' | 'namespace'>): string {
  return r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;
}

/**
 * The line of `path`, or of its nearest ancestor present in the source (a finding about a
 * missing field points at the object that should hold it), or the resource's own line.
 */
export function closestLine(r: Pick<KubeResource, 'line' | 'lineOf'>, path: ObjectPath): number {
  for (let n = path.length; n > 0; n--) {
    const line = r.lineOf(path.slice(0, n));
    if (line !== undefined) return line;
  }
  return r.line;
}
