import { buildResult, type ScanResult, UsageError } from '../core/index.js';
import {
  Authorizer,
  analyzeRbac,
  type DefaultsOptions,
  type DefaultsUsed,
  describeDefaults,
  type EffectivePermissions,
  effectivePermissions,
  loadKubeResources,
  parseK8sVersion,
  parseRbac,
  type Request,
  type Subject,
  type WhoCanSubject,
  whoCan,
  withDefaults,
} from '../kube/index.js';
import { type ProgressOptions, warnAll } from './progress.js';

/** The arguments every RBAC command checks before reading anything: paths, and --k8s-version. */
function requirePaths(paths: readonly string[], options: DefaultsOptions = {}): void {
  if (paths.length === 0)
    throw new UsageError('USAGE', 'rbac: give at least one manifest file or directory (or - for stdin)');
  parseK8sVersion(options.k8sVersion ?? 'latest');
}

/** `strata rbac <path...>`: risk findings and escalation paths of the RBAC objects in the manifests. */
export type RbacOptions = ProgressOptions & DefaultsOptions;

/** Says on stderr which built-in defaults were used (the JSON carries them too). */
function announce(defaults: DefaultsUsed | undefined, options: ProgressOptions): void {
  if (defaults) options.onWarning?.(describeDefaults(defaults));
}

/**
 * `strata rbac <path...>`: risk findings and escalation paths of the RBAC objects in the manifests,
 * with the Kubernetes default ClusterRoles and bindings they lack (`rbacDefaults`).
 */
export async function scanRbac(paths: readonly string[], options: RbacOptions = {}): Promise<ScanResult> {
  requirePaths(paths, options);
  const loaded = await loadKubeResources(paths);
  const analysis = analyzeRbac(loaded.resources, options);
  const errors = [...loaded.errors, ...analysis.errors];
  announce(analysis.defaults, options);
  options.onProgress?.(`rbac: ${analysis.findings.length} findings, ${errors.length} errors`);
  const result = buildResult({
    target: { type: 'kubernetes', name: paths.join(' ') },
    findings: analysis.findings,
    errors,
  });
  return analysis.defaults ? { ...result, rbacDefaults: analysis.defaults } : result;
}

/** The authorizer of the manifests' RBAC objects; what could not be read is a warning. */
export async function loadRbacAuthorizer(
  paths: readonly string[],
  options: RbacOptions = {},
): Promise<{ authorizer: Authorizer; defaults?: DefaultsUsed }> {
  requirePaths(paths, options);
  const loaded = await loadKubeResources(paths);
  const parsed = parseRbac(loaded.resources);
  const { model, defaults } = withDefaults(parsed.model, options);
  const authz = new Authorizer(model);
  warnAll([...loaded.errors, ...parsed.errors, ...authz.errors], options);
  announce(defaults, options);
  options.onProgress?.(`rbac: ${model.roles.length} roles, ${model.bindings.length} bindings`);
  return defaults ? { authorizer: authz, defaults } : { authorizer: authz };
}

/** `strata rbac who-can`: every subject allowed the request, with the binding and role. */
export async function rbacWhoCan(
  paths: readonly string[],
  request: Request,
  options: RbacOptions = {},
): Promise<{ subjects: WhoCanSubject[]; defaults?: DefaultsUsed }> {
  const { authorizer, defaults } = await loadRbacAuthorizer(paths, options);
  const subjects = whoCan(authorizer, request);
  return defaults ? { subjects, defaults } : { subjects };
}

/** `strata rbac can`: the effective permissions of one subject. */
export async function rbacCan(
  paths: readonly string[],
  subject: Subject,
  options: RbacOptions = {},
): Promise<{ permissions: EffectivePermissions; defaults?: DefaultsUsed }> {
  const { authorizer, defaults } = await loadRbacAuthorizer(paths, options);
  const permissions = effectivePermissions(authorizer, subject);
  return defaults ? { permissions, defaults } : { permissions };
}
