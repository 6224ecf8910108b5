import { parseKubeText } from '../../load/index.js';
import { RbacError } from '../errors.js';
import { parseRbac } from '../parse.js';
import type { Binding, Role } from '../types.js';
import * as v127 from './v1-27.js';
import * as v134 from './v1-34.js';

/**
 * The default RBAC objects the API server of one Kubernetes version creates: ClusterRoles and
 * ClusterRoleBindings, and the Roles and RoleBindings of kube-system and kube-public.
 */
export interface BootstrapPolicy {
  /** the version set used, e.g. `v1.34+` */
  readonly version: string;
  /** where the data came from (file names the built-in objects' `source.file` carry) */
  readonly source: string;
  readonly clusterRoles: readonly Role[];
  readonly clusterRoleBindings: readonly Binding[];
  readonly roles: readonly Role[];
  readonly roleBindings: readonly Binding[];
}

interface StoredSet {
  /** the lowest minor version the set applies from */
  readonly minor: number;
  readonly label: string;
  readonly source: string;
  readonly yaml: { readonly name: string; readonly text: string }[];
}

/** The stored sets, newest first. */
const SETS: readonly StoredSet[] = [
  {
    minor: 34,
    label: 'v1.34+',
    source: 'a running kube-apiserver v1.34.4 (objects labelled kubernetes.io/bootstrapping=rbac-defaults)',
    yaml: [
      { name: 'cluster-roles.yaml', text: v134.CLUSTER_ROLES_YAML },
      { name: 'cluster-role-bindings.yaml', text: v134.CLUSTER_ROLE_BINDINGS_YAML },
      { name: 'roles.yaml', text: v134.ROLES_YAML },
      { name: 'role-bindings.yaml', text: v134.ROLE_BINDINGS_YAML },
    ],
  },
  {
    minor: 27,
    label: 'v1.27+',
    source: 'kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata',
    yaml: [
      { name: 'cluster-roles.yaml', text: v127.CLUSTER_ROLES_YAML },
      { name: 'cluster-role-bindings.yaml', text: v127.CLUSTER_ROLE_BINDINGS_YAML },
    ],
  },
];

const parsed = new Map<string, BootstrapPolicy>();

/**
 * `latest`, `none`, `1.N`, `v1.N` or `v1.N.P` into a minor version (`none`: no defaults). Checked
 * before any work, so a typo is a usage error and not a silent fallback.
 */
export function parseK8sVersion(text: string): number | 'latest' | 'none' {
  if (text === 'latest' || text === 'none') return text;
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec(text);
  if (!m) {
    throw new RbacError(
      'INVALID_VERSION',
      `--k8s-version: "${text}" is not latest, none or a Kubernetes version like 1.30 or v1.30.2`,
    );
  }
  return Number(m[1]);
}

/**
 * The defaults for a version (`latest` = the newest stored set), parsed on first use. A version
 * older than every stored set gets the oldest one and a note saying so.
 */
export function bootstrapPolicy(version: number | 'latest'): { policy: BootstrapPolicy; note?: string } {
  const set =
    version === 'latest' ? SETS[0]! : (SETS.find((s) => s.minor <= version) ?? SETS[SETS.length - 1]!);
  let policy = parsed.get(set.label);
  if (!policy) {
    const texts = set.yaml.map((y) => parseKubeText(y.text, `<kubernetes ${set.label} defaults>/${y.name}`));
    const { model, errors } = parseRbac(texts.flatMap((t) => t.resources));
    const problems = [...texts.flatMap((t) => t.errors), ...errors];
    // the data ships with Strata: a parse failure is a bug, never the user's input
    if (problems.length) throw new Error(`built-in RBAC defaults ${set.label}: ${problems[0]?.message}`);
    policy = {
      version: set.label,
      source: set.source,
      clusterRoles: model.roles.filter((r) => r.kind === 'ClusterRole'),
      clusterRoleBindings: model.bindings.filter((b) => b.kind === 'ClusterRoleBinding'),
      roles: model.roles.filter((r) => r.kind === 'Role'),
      roleBindings: model.bindings.filter((b) => b.kind === 'RoleBinding'),
    };
    parsed.set(set.label, policy);
  }
  const note =
    typeof version === 'number' && version < set.minor
      ? `no built-in RBAC defaults stored for v1.${version}; using the ${set.label} set (the oldest stored)`
      : undefined;
  return note ? { policy, note } : { policy };
}
