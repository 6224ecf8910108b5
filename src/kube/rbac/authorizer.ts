import type { ScanError } from '../../core/types.js';
import { aggregateClusterRoles } from './aggregate.js';
import { RBAC_ANALYZER } from './errors.js';
import { ruleAllows } from './match.js';
import { bindingRef, roleRefOf } from './refs.js';
import type { Binding, Grant, Identity, RbacModel, Request, Role, Subject } from './types.js';

/** Does a binding subject cover this identity (`appliesToUser` in pkg/registry/rbac/validation)? */
export function subjectApplies(identity: Identity, subject: Subject): boolean {
  switch (subject.kind) {
    case 'User':
      return identity.user === subject.name;
    case 'Group':
      return identity.groups.includes(subject.name);
    case 'ServiceAccount':
      return (
        subject.namespace !== undefined &&
        identity.user === `system:serviceaccount:${subject.namespace}:${subject.name}`
      );
  }
}

/**
 * The RBAC authorizer over a static set of roles and bindings: aggregation applied once, roles
 * indexed by name, RoleBindings by namespace. A request in a namespace is checked against every
 * ClusterRoleBinding and the RoleBindings of that namespace (a RoleBinding to a ClusterRole grants
 * its rules in the binding's namespace only); a request without a namespace against
 * ClusterRoleBindings only. A binding whose role does not exist grants nothing (and is an error).
 */
export class Authorizer {
  readonly roles: readonly Role[];
  readonly errors: readonly ScanError[];
  private readonly clusterRoles = new Map<string, Role>();
  private readonly nsRoles = new Map<string, Role>();
  readonly clusterBindings: readonly Binding[];
  private readonly nsBindings = new Map<string, Binding[]>();
  /** bindings by the user name or group a subject stands for: `u:NAME`, `g:NAME` */
  private readonly bySubject = new Map<string, Binding[]>();

  constructor(readonly model: RbacModel) {
    this.roles = aggregateClusterRoles(model.roles);
    for (const r of this.roles) {
      if (r.kind === 'ClusterRole') this.clusterRoles.set(r.name, r);
      else this.nsRoles.set(`${r.namespace}/${r.name}`, r);
    }
    this.clusterBindings = model.bindings.filter((b) => b.kind === 'ClusterRoleBinding');
    for (const b of model.bindings) {
      if (b.kind !== 'RoleBinding' || !b.namespace) continue;
      const list = this.nsBindings.get(b.namespace);
      if (list) list.push(b);
      else this.nsBindings.set(b.namespace, [b]);
    }
    for (const b of model.bindings) {
      const keys = new Set<string>();
      for (const s of b.subjects) {
        if (s.kind === 'Group') keys.add(`g:${s.name}`);
        else if (s.kind === 'User') keys.add(`u:${s.name}`);
        else if (s.namespace) keys.add(`u:system:serviceaccount:${s.namespace}:${s.name}`);
      }
      for (const k of keys) {
        const list = this.bySubject.get(k);
        if (list) list.push(b);
        else this.bySubject.set(k, [b]);
      }
    }
    const errors: ScanError[] = [];
    for (const b of model.bindings) {
      if (!this.roleOf(b)) {
        errors.push({
          analyzer: RBAC_ANALYZER,
          path: b.source.file,
          message: `line ${b.source.line}: ${bindingRef(b)} references ${roleRefOf(b)}, which is not in the input (the binding grants nothing here)`,
        });
      }
    }
    this.errors = errors;
  }

  roleOf(b: Binding): Role | undefined {
    return b.roleRef.kind === 'ClusterRole'
      ? this.clusterRoles.get(b.roleRef.name)
      : this.nsRoles.get(`${b.namespace}/${b.roleRef.name}`);
  }

  clusterRole(name: string): Role | undefined {
    return this.clusterRoles.get(name);
  }

  /** Namespaces with at least one RoleBinding. */
  bindingNamespaces(): string[] {
    return [...this.nsBindings.keys()].sort();
  }

  /** ClusterRoleBindings, then (for a namespace) that namespace's RoleBindings. */
  bindingsIn(namespace: string): readonly Binding[] {
    const local = namespace ? this.nsBindings.get(namespace) : undefined;
    return local ? [...this.clusterBindings, ...local] : this.clusterBindings;
  }

  /** The bindings with a subject that covers the identity (through the subject index): ClusterRoleBindings first, as upstream visits them, each in input order. */
  bindingsFor(identity: Identity): Binding[] {
    const keys = [
      ...(identity.user !== undefined ? [`u:${identity.user}`] : []),
      ...identity.groups.map((g) => `g:${g}`),
    ];
    const found = new Set<Binding>();
    for (const k of keys) for (const b of this.bySubject.get(k) ?? []) found.add(b);
    const rank = (b: Binding) => (b.kind === 'RoleBinding' ? this.model.bindings.length : 0) + this.order(b);
    return [...found].sort((a, b) => rank(a) - rank(b));
  }

  private orderIndex?: Map<Binding, number>;
  private order(b: Binding): number {
    if (!this.orderIndex) this.orderIndex = new Map(this.model.bindings.map((x, i) => [x, i]));
    return this.orderIndex.get(b) ?? 0;
  }

  /** Every rule that applies to an identity in a namespace ('' = cluster-wide rules only). */
  rulesFor(identity: Identity, namespace: string): Grant[] {
    const out: Grant[] = [];
    for (const binding of this.bindingsFor(identity)) {
      if (binding.kind === 'RoleBinding' && (!namespace || binding.namespace !== namespace)) continue;
      if (!binding.subjects.some((s) => subjectApplies(identity, s))) continue;
      const role = this.roleOf(binding);
      if (!role) continue;
      role.rules.forEach((rule, ruleIndex) => {
        out.push({ binding, role, rule, ruleIndex });
      });
    }
    return out;
  }

  /** The grants that allow the request (empty = denied, RBAC having no deny rules). */
  authorize(identity: Identity, req: Request): Grant[] {
    const ns = req.type === 'resource' ? req.namespace : '';
    return this.rulesFor(identity, ns).filter((g) => ruleAllows(g.rule, req));
  }

  /** The index of the first rule of a role that allows the request, or -1. */
  allowingRule(role: Role, req: Request): number {
    return role.rules.findIndex((r) => ruleAllows(r, req));
  }
}
