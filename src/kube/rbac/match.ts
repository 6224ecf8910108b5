import type { PolicyRule, Request } from './types.js';

/**
 * Rule matching with the semantics of kubernetes `pkg/apis/rbac/v1/evaluation_helpers.go`:
 * `*` matches every verb, API group, resource and non-resource URL; a resource entry matches the
 * requested `resource[/subresource]` exactly, or `*\/sub` matches any resource's `sub`
 * (`pods/*` is NOT a wildcard); an empty `resourceNames` matches every name, otherwise the
 * request must name one of them; a non-resource URL ending in `*` matches by prefix.
 */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === group);
}

export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === '*' || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) {
      return true;
    }
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))),
  );
}

/** `plugin/pkg/auth/authorizer/rbac` RuleAllows: does one rule allow one request? */
export function ruleAllows(rule: PolicyRule, req: Request): boolean {
  if (req.type === 'nonResource') return verbMatches(rule, req.verb) && nonResourceURLMatches(rule, req.path);
  const combined = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  return (
    verbMatches(rule, req.verb) &&
    apiGroupMatches(rule, req.apiGroup) &&
    resourceMatches(rule, combined, req.subresource) &&
    resourceNameMatches(rule, req.name)
  );
}

/** A resource request; `resource` may carry its subresource (`pods/exec`). */
export function resourceRequest(
  verb: string,
  resource: string,
  options: { apiGroup?: string; namespace?: string; name?: string } = {},
): Request {
  const slash = resource.indexOf('/');
  return {
    type: 'resource',
    verb,
    apiGroup: options.apiGroup ?? '',
    resource: slash === -1 ? resource : resource.slice(0, slash),
    subresource: slash === -1 ? '' : resource.slice(slash + 1),
    namespace: options.namespace ?? '',
    name: options.name ?? '',
  };
}
