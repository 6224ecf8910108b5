import { buildResult, type ScanResult, UsageError } from '../core/index.js';
import {
  Authorizer,
  analyzeRbac,
  type EffectivePermissions,
  effectivePermissions,
  loadKubeResources,
  parseRbac,
  type Request,
  type Subject,
  type WhoCanSubject,
  whoCan,
} from '../kube/index.js';
import { type ProgressOptions, warnAll } from './progress.js';

function requirePaths(paths: readonly string[]): void {
  if (paths.length === 0)
    throw new UsageError('USAGE', 'rbac: give at least one manifest file or directory (or - for stdin)');
}

/** `strata rbac <path...>`: risk findings and escalation paths of the RBAC objects in the manifests. */
export async function scanRbac(paths: readonly string[], options: ProgressOptions = {}): Promise<ScanResult> {
  requirePaths(paths);
  const loaded = await loadKubeResources(paths);
  const analysis = analyzeRbac(loaded.resources);
  const errors = [...loaded.errors, ...analysis.errors];
  options.onProgress?.(`rbac: ${analysis.findings.length} findings, ${errors.length} errors`);
  return buildResult({
    target: { type: 'kubernetes', name: paths.join(' ') },
    findings: analysis.findings,
    errors,
  });
}

/** The authorizer of the manifests' RBAC objects; what could not be read is a warning. */
export async function loadRbacAuthorizer(
  paths: readonly string[],
  options: ProgressOptions = {},
): Promise<Authorizer> {
  requirePaths(paths);
  const loaded = await loadKubeResources(paths);
  const { model, errors } = parseRbac(loaded.resources);
  const authz = new Authorizer(model);
  warnAll([...loaded.errors, ...errors, ...authz.errors], options);
  options.onProgress?.(`rbac: ${model.roles.length} roles, ${model.bindings.length} bindings`);
  return authz;
}

/** `strata rbac who-can`: every subject allowed the request, with the binding and role. */
export async function rbacWhoCan(
  paths: readonly string[],
  request: Request,
  options: ProgressOptions = {},
): Promise<WhoCanSubject[]> {
  return whoCan(await loadRbacAuthorizer(paths, options), request);
}

/** `strata rbac can`: the effective permissions of one subject. */
export async function rbacCan(
  paths: readonly string[],
  subject: Subject,
  options: ProgressOptions = {},
): Promise<EffectivePermissions> {
  return effectivePermissions(await loadRbacAuthorizer(paths, options), subject);
}
