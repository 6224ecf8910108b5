import type { Authorizer } from './authorizer.js';
import { bindingRef, cmp, roleRefOf } from './refs.js';
import type { Request, Role, Subject } from './types.js';

export interface Via {
  readonly binding: string;
  readonly role: string;
}

export interface WhoCanSubject {
  readonly kind: Subject['kind'];
  readonly name: string;
  readonly namespace?: string;
  readonly via: readonly Via[];
}

const subjectKey = (s: Subject) => `${s.kind}\u0000${s.namespace ?? ''}\u0000${s.name}`;

/**
 * Every binding subject the request is allowed for, with the bindings and roles that allow it.
 * Subjects are taken as the bindings name them (a Group stands for all its members); a
 * ServiceAccount subject without a namespace in a ClusterRoleBinding covers nobody, as upstream.
 */
export function whoCan(authz: Authorizer, req: Request): WhoCanSubject[] {
  const ns = req.type === 'resource' ? req.namespace : '';
  const allows = new Map<Role, boolean>();
  const found = new Map<string, { subject: Subject; via: Via[] }>();
  for (const binding of authz.bindingsIn(ns)) {
    const role = authz.roleOf(binding);
    if (!role) continue;
    let ok = allows.get(role);
    if (ok === undefined) {
      ok = authz.allowingRule(role, req) !== -1;
      allows.set(role, ok);
    }
    if (!ok) continue;
    const via = { binding: bindingRef(binding), role: roleRefOf(binding) };
    for (const subject of binding.subjects) {
      if (subject.kind === 'ServiceAccount' && !subject.namespace) continue;
      const key = subjectKey(subject);
      const entry = found.get(key);
      if (!entry) found.set(key, { subject, via: [via] });
      else if (!entry.via.some((v) => v.binding === via.binding)) entry.via.push(via);
    }
  }
  return [...found.values()]
    .map(({ subject, via }) => ({
      kind: subject.kind,
      name: subject.name,
      ...(subject.namespace ? { namespace: subject.namespace } : {}),
      via: via.sort((a, b) => cmp(a.binding, b.binding) || cmp(a.role, b.role)),
    }))
    .sort((a, b) => cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}

/** A plain table: subject, then the bindings and roles that allow it. */
export function renderWhoCan(subjects: readonly WhoCanSubject[]): string {
  if (subjects.length === 0) return 'No subject is allowed.\n';
  const lines = subjects.flatMap((s) =>
    s.via.map((v, i) => [
      i === 0 ? s.kind : '',
      i === 0 ? (s.namespace ? `${s.namespace}/${s.name}` : s.name) : '',
      v.binding,
      v.role,
    ]),
  );
  const header = ['KIND', 'SUBJECT', 'BINDING', 'ROLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (cols: string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return `${[fmt(header), ...lines.map(fmt)].join('\n')}\n`;
}
