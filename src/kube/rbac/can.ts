import type { Authorizer } from './authorizer.js';
import { identityOf } from './identity.js';
import { bindingRef, cmp, roleRefOf } from './refs.js';
import type { Grant, Subject } from './types.js';

export interface PermissionRow {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
  readonly binding: string;
  readonly role: string;
}

export interface EffectivePermissions {
  readonly subject: Subject;
  readonly user?: string;
  readonly groups: readonly string[];
  /** rules from ClusterRoleBindings: they hold in every namespace and for cluster-scoped resources */
  readonly clusterWide: readonly PermissionRow[];
  /** rules from RoleBindings, per namespace, in addition to the cluster-wide ones */
  readonly namespaces: readonly { readonly namespace: string; readonly rules: readonly PermissionRow[] }[];
}

function rows(grants: readonly Grant[]): PermissionRow[] {
  return grants
    .map((g) => ({
      verbs: g.rule.verbs,
      apiGroups: g.rule.apiGroups,
      resources: g.rule.resources,
      resourceNames: g.rule.resourceNames,
      nonResourceURLs: g.rule.nonResourceURLs,
      binding: bindingRef(g.binding),
      role: roleRefOf(g.binding),
    }))
    .sort(
      (a, b) =>
        cmp(a.apiGroups.join(','), b.apiGroups.join(',')) ||
        cmp(a.resources.join(','), b.resources.join(',')) ||
        cmp(a.nonResourceURLs.join(','), b.nonResourceURLs.join(',')) ||
        cmp(a.verbs.join(','), b.verbs.join(',')) ||
        cmp(a.resourceNames.join(','), b.resourceNames.join(',')) ||
        cmp(a.binding, b.binding),
    );
}

/** What a subject may do: cluster-wide rules, then per namespace the rules its RoleBindings add. */
export function effectivePermissions(authz: Authorizer, subject: Subject): EffectivePermissions {
  const identity = identityOf(subject);
  const clusterWide = rows(authz.rulesFor(identity, ''));
  const namespaces = authz
    .bindingNamespaces()
    .map((namespace) => ({
      namespace,
      rules: rows(authz.rulesFor(identity, namespace).filter((g) => g.binding.kind === 'RoleBinding')),
    }))
    .filter((n) => n.rules.length > 0);
  return {
    subject,
    ...(identity.user ? { user: identity.user } : {}),
    groups: identity.groups,
    clusterWide,
    namespaces,
  };
}

const cell = (xs: readonly string[]) => (xs.length ? xs.join(',') : '-');

/** A plain table: one line per rule, grouped by scope. */
export function renderPermissions(p: EffectivePermissions): string {
  const header = ['SCOPE', 'VERBS', 'API GROUPS', 'RESOURCES', 'NAMES', 'URLS', 'VIA'];
  const lines: string[][] = [];
  const add = (scope: string, r: PermissionRow) =>
    lines.push([
      scope,
      cell(r.verbs),
      r.apiGroups.map((g) => (g === '' ? '""' : g)).join(',') || '-',
      cell(r.resources),
      cell(r.resourceNames),
      cell(r.nonResourceURLs),
      `${r.binding} -> ${r.role}`,
    ]);
  for (const r of p.clusterWide) add('cluster-wide', r);
  for (const n of p.namespaces) for (const r of n.rules) add(n.namespace, r);
  const who = `${p.subject.kind}:${p.subject.namespace ? `${p.subject.namespace}:` : ''}${p.subject.name}`;
  if (lines.length === 0) return `${who}: no permissions granted by the given RBAC objects\n`;
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (cols: string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return `${who} (groups: ${p.groups.join(', ')})\n${[fmt(header), ...lines.map(fmt)].join('\n')}\n`;
}
