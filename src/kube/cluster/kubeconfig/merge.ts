import { ClusterError } from '../errors.js';
import type { KubeconfigSource } from './files.js';
import type { KubeCluster, KubeContext, KubeUser } from './schema.js';

/** An entry of the merged config and where it was defined, for messages (`~/.kube/config: users[2]`). */
export interface Located<T> {
  readonly name: string;
  /** `null` when the file wrote `user:` with nothing under it */
  readonly value: T | null | undefined;
  /** the file's display path */
  readonly file: string;
  /** `users[2]` */
  readonly field: string;
}

export interface MergedKubeconfig {
  readonly files: readonly string[];
  readonly currentContext?: { readonly name: string; readonly file: string };
  readonly clusters: ReadonlyMap<string, Located<KubeCluster>>;
  readonly contexts: ReadonlyMap<string, Located<KubeContext>>;
  readonly users: ReadonlyMap<string, Located<KubeUser>>;
}

type Section = 'clusters' | 'contexts' | 'users';

function collect<T>(
  sources: readonly KubeconfigSource[],
  section: Section,
  pick: (entry: Record<string, unknown>) => T | null | undefined,
): Map<string, Located<T>> {
  const out = new Map<string, Located<T>>();
  for (const source of sources) {
    const seen = new Set<string>();
    (source.doc[section] ?? []).forEach((entry, i) => {
      const field = `${section}[${i}]`;
      // one file may not name two entries alike (kubectl refuses the file)
      if (seen.has(entry.name)) {
        throw new ClusterError(
          'KUBECONFIG_INVALID',
          `${source.display}: ${field}: duplicate name "${entry.name}" in ${section}`,
        );
      }
      seen.add(entry.name);
      // across files the first file to define a name wins
      if (!out.has(entry.name)) {
        out.set(entry.name, { name: entry.name, value: pick(entry), file: source.display, field });
      }
    });
  }
  return out;
}

/**
 * Merges kubeconfig files as kubectl merges `$KUBECONFIG`: clusters, contexts and users are maps
 * keyed by name where the first file that defines a name wins (later files never override it);
 * `current-context` comes from the first file that sets one.
 */
export function mergeKubeconfigs(sources: readonly KubeconfigSource[]): MergedKubeconfig {
  let currentContext: MergedKubeconfig['currentContext'];
  for (const source of sources) {
    const name = source.doc['current-context'];
    if (name) {
      currentContext = { name, file: source.display };
      break;
    }
  }
  return {
    files: sources.map((s) => s.display),
    ...(currentContext ? { currentContext } : {}),
    clusters: collect(sources, 'clusters', (e) => e.cluster as KubeCluster | null | undefined),
    contexts: collect(sources, 'contexts', (e) => e.context as KubeContext | null | undefined),
    users: collect(sources, 'users', (e) => e.user as KubeUser | null | undefined),
  };
}
