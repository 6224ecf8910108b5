import { parseKubeText } from '../../load/index.js';
import { RbacError } from '../errors.js';
import { parseRbac } from '../parse.js';
import type { Binding, Role } from '../types.js';
import { CLUSTER_ROLE_BINDINGS_YAML, CLUSTER_ROLES_YAML } from './v1-27.js';

/** The default ClusterRoles and ClusterRoleBindings the API server of one Kubernetes version creates. */
export interface BootstrapPolicy {
  /** the version set used, e.g. `v1.27+` */
  readonly version: string;
  /** where the data came from (file names the built-in objects' `source.file` carry) */
  readonly source: string;
  readonly clusterRoles: readonly Role[];
  readonly clusterRoleBindings: readonly Binding[];
}

/** The stored sets, newest first: the lowest minor each applies from, and its YAML. */
const SETS = [
  { minor: 27, label: 'v1.27+', roles: CLUSTER_ROLES_YAML, bindings: CLUSTER_ROLE_BINDINGS_YAML },
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
    const file = (name: string) => `<kubernetes ${set.label} defaults>/${name}`;
    const roles = parseKubeText(set.roles, file('cluster-roles.yaml'));
    const bindings = parseKubeText(set.bindings, file('cluster-role-bindings.yaml'));
    const { model, errors } = parseRbac([...roles.resources, ...bindings.resources]);
    const problems = [...roles.errors, ...bindings.errors, ...errors];
    // the data ships with Strata: a parse failure is a bug, never the user's input
    if (problems.length) throw new Error(`built-in RBAC defaults ${set.label}: ${problems[0]?.message}`);
    policy = {
      version: set.label,
      source: 'kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata',
      clusterRoles: model.roles,
      clusterRoleBindings: model.bindings,
    };
    parsed.set(set.label, policy);
  }
  const note =
    typeof version === 'number' && version < set.minor
      ? `no built-in RBAC defaults stored for v1.${version}; using the ${set.label} set (the oldest stored)`
      : undefined;
  return note ? { policy, note } : { policy };
}
