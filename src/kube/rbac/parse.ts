import type { ScanError } from '../../core/types.js';
import type { KubeResource } from '../load/index.js';
import { RBAC_ANALYZER } from './errors.js';
import type {
  Binding,
  LabelSelector,
  PolicyRule,
  RbacModel,
  Role,
  SelectorOperator,
  Subject,
} from './types.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';
const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(v: unknown, field: string): Plain {
  if (v === undefined || v === null) return {};
  if (!isPlain(v)) throw new FieldError(field, 'must be a mapping');
  return v;
}

function list(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(field, 'must be a list');
  return v;
}

function strings(v: unknown, field: string): string[] {
  return list(v, field).map((x, i) => {
    if (typeof x !== 'string') throw new FieldError(`${field}[${i}]`, 'must be a string');
    return x;
  });
}

function optString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new FieldError(field, 'must be a string');
  return v;
}

function labelMap(v: unknown, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v, field))) {
    if (typeof x !== 'string') throw new FieldError(`${field}.${k}`, 'must be a string');
    out[k] = x;
  }
  return out;
}

function parseRule(v: unknown, field: string): PolicyRule {
  const o = obj(v, field);
  return {
    verbs: strings(o.verbs, `${field}.verbs`),
    apiGroups: strings(o.apiGroups, `${field}.apiGroups`),
    resources: strings(o.resources, `${field}.resources`),
    resourceNames: strings(o.resourceNames, `${field}.resourceNames`),
    nonResourceURLs: strings(o.nonResourceURLs, `${field}.nonResourceURLs`),
  };
}

function parseSelector(v: unknown, field: string): LabelSelector {
  const o = obj(v, field);
  return {
    matchLabels: labelMap(o.matchLabels, `${field}.matchLabels`),
    matchExpressions: list(o.matchExpressions, `${field}.matchExpressions`).map((e, i) => {
      const f = `${field}.matchExpressions[${i}]`;
      const r = obj(e, f);
      const key = optString(r.key, `${f}.key`);
      if (!key) throw new FieldError(`${f}.key`, 'is required');
      const operator = optString(r.operator, `${f}.operator`) ?? '';
      if (!OPERATORS.includes(operator))
        throw new FieldError(`${f}.operator`, `unknown operator "${operator}"`);
      return { key, operator: operator as SelectorOperator, values: strings(r.values, `${f}.values`) };
    }),
  };
}

function metadata(r: KubeResource): { labels: Record<string, string>; bootstrap: boolean } {
  const labels = labelMap(obj(r.object.metadata, 'metadata').labels, 'metadata.labels');
  return { labels, bootstrap: labels[BOOTSTRAP_LABEL] === 'rbac-defaults' };
}

function parseRole(r: KubeResource): Role {
  if (!r.name) throw new FieldError('metadata.name', 'is required');
  if (r.kind === 'Role' && !r.namespace) throw new FieldError('metadata.namespace', 'is required for a Role');
  const { labels, bootstrap } = metadata(r);
  const rawRules = list(r.object.rules, 'rules');
  const agg = obj(r.object.aggregationRule, 'aggregationRule');
  const selectors =
    r.kind === 'ClusterRole' && r.object.aggregationRule !== undefined && r.object.aggregationRule !== null
      ? list(agg.clusterRoleSelectors, 'aggregationRule.clusterRoleSelectors').map((s, i) =>
          parseSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`),
        )
      : undefined;
  return {
    kind: r.kind as Role['kind'],
    name: r.name,
    ...(r.kind === 'Role' && r.namespace ? { namespace: r.namespace } : {}),
    labels,
    rules: rawRules.map((x, i) => parseRule(x, `rules[${i}]`)),
    ruleSources: rawRules.map((_, i) => ({ file: r.file, line: r.lineOf(['rules', i]) ?? r.line })),
    ...(selectors ? { aggregationRule: selectors } : {}),
    bootstrap,
    source: { file: r.file, line: r.line },
  };
}

function parseSubject(v: unknown, field: string): Subject {
  const o = obj(v, field);
  const kind = optString(o.kind, `${field}.kind`);
  const name = optString(o.name, `${field}.name`);
  if (!name) throw new FieldError(`${field}.name`, 'is required');
  if (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount') {
    throw new FieldError(
      `${field}.kind`,
      `unknown subject kind "${kind ?? ''}" (User, Group, ServiceAccount)`,
    );
  }
  const namespace = optString(o.namespace, `${field}.namespace`);
  return kind === 'ServiceAccount' && namespace ? { kind, name, namespace } : { kind, name };
}

function parseBinding(r: KubeResource): Binding {
  if (!r.name) throw new FieldError('metadata.name', 'is required');
  const isRB = r.kind === 'RoleBinding';
  if (isRB && !r.namespace) throw new FieldError('metadata.namespace', 'is required for a RoleBinding');
  const ref = obj(r.object.roleRef, 'roleRef');
  const refKind = optString(ref.kind, 'roleRef.kind');
  const refName = optString(ref.name, 'roleRef.name');
  if (!refName) throw new FieldError('roleRef.name', 'is required');
  if (refKind !== 'ClusterRole' && !(isRB && refKind === 'Role')) {
    throw new FieldError('roleRef.kind', `unsupported role reference kind "${refKind ?? ''}"`);
  }
  const subjects = list(r.object.subjects, 'subjects').map((s, i) => {
    const subject = parseSubject(s, `subjects[${i}]`);
    // upstream defaults a ServiceAccount subject of a RoleBinding to the binding's namespace
    return subject.kind === 'ServiceAccount' && !subject.namespace && isRB
      ? { ...subject, namespace: r.namespace as string }
      : subject;
  });
  return {
    kind: r.kind as Binding['kind'],
    name: r.name,
    ...(isRB ? { namespace: r.namespace as string } : {}),
    roleRef: { kind: refKind, name: refName },
    subjects,
    bootstrap: metadata(r).bootstrap,
    source: { file: r.file, line: r.line },
  };
}

const isRbac = (r: KubeResource) => r.apiVersion.split('/')[0] === RBAC_GROUP;

/**
 * Reads Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, ServiceAccounts and Namespaces
 * out of loaded resources. An object with a malformed field is one `errors[]` entry (file, line,
 * field) and is left out; the rest is still analysed.
 */
export function parseRbac(resources: readonly KubeResource[]): { model: RbacModel; errors: ScanError[] } {
  const roles: Role[] = [];
  const bindings: Binding[] = [];
  const errors: ScanError[] = [];
  const sas = new Map<string, Set<string>>();
  const namespaces = new Set<string>();
  const addSa = (ns: string, name: string) => {
    const set = sas.get(ns) ?? new Set(['default']);
    sas.set(ns, set);
    set.add(name);
  };
  for (const r of resources) {
    try {
      if (r.namespace) namespaces.add(r.namespace);
      if (r.kind === 'Namespace' && r.apiVersion === 'v1' && r.name) namespaces.add(r.name);
      else if (r.kind === 'ServiceAccount' && r.apiVersion === 'v1' && r.name)
        addSa(r.namespace ?? 'default', r.name);
      else if (isRbac(r) && (r.kind === 'Role' || r.kind === 'ClusterRole')) roles.push(parseRole(r));
      else if (isRbac(r) && (r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding')) {
        const b = parseBinding(r);
        bindings.push(b);
        for (const s of b.subjects)
          if (s.kind === 'ServiceAccount' && s.namespace) addSa(s.namespace, s.name);
      }
    } catch (err) {
      const message = err instanceof FieldError ? err.message : String(err);
      const at = err instanceof FieldError ? fieldLine(r, err.field) : r.line;
      errors.push({
        analyzer: RBAC_ANALYZER,
        path: r.file,
        message: `line ${at}: ${r.kind}/${r.name}: ${message}`,
      });
    }
  }
  for (const ns of namespaces) if (!sas.has(ns)) addSa(ns, 'default');
  const serviceAccounts = new Map([...sas].map(([ns, set]) => [ns, [...set].sort()] as const));
  return {
    model: {
      roles,
      bindings,
      serviceAccounts,
      namespaces: [...new Set([...namespaces, ...sas.keys()])].sort(),
    },
    errors,
  };
}

/** The line of a dotted field path like `rules[2].verbs`, or of its nearest present ancestor. */
function fieldLine(r: KubeResource, field: string): number {
  const path: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    path.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  for (let n = path.length; n > 0; n--) {
    const line = r.lineOf(path.slice(0, n));
    if (line !== undefined) return line;
  }
  return r.line;
}
