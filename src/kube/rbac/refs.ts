import type { Binding, Role } from './types.js';

/** `ClusterRoleBinding/NAME` or `RoleBinding/NS/NAME`, as findings and who-can answers name bindings. */
export const bindingRef = (b: Pick<Binding, 'kind' | 'name' | 'namespace'>) =>
  b.namespace ? `${b.kind}/${b.namespace}/${b.name}` : `${b.kind}/${b.name}`;

/** `ClusterRole/NAME` or `Role/NS/NAME`. */
export const roleRefOf = (b: Binding) =>
  b.roleRef.kind === 'Role' ? `Role/${b.namespace ?? ''}/${b.roleRef.name}` : `ClusterRole/${b.roleRef.name}`;

export const roleRef = (r: Pick<Role, 'kind' | 'name' | 'namespace'>) =>
  r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;

export const cmp = (a: string | undefined, b: string | undefined): number =>
  a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : a < b ? -1 : 1;
