import { describeIssues, z } from '../../core/schema.js';
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
  SubjectKind,
} from './types.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';

/*
 * The RBAC objects' fields as zod schemas. Absent and `null` read alike (as the API server
 * does); an empty string is an absent optional string.
 */
const list = <S extends z.ZodType>(item: S) =>
  z
    .array(item)
    .nullish()
    .transform((v): z.output<S>[] => v ?? []);
const mapping = <S extends z.ZodType>(schema: S) => z.preprocess((v) => v ?? {}, schema);
const optString = z
  .string()
  .nullish()
  .transform((v) => v || undefined);
const show = (v: unknown): string => JSON.stringify(v) ?? 'nothing';

const Labels = mapping(z.record(z.string(), z.string()));
const Strings = list(z.string());

const Rule = mapping(
  z.object({
    verbs: Strings,
    apiGroups: Strings,
    resources: Strings,
    resourceNames: Strings,
    nonResourceURLs: Strings,
  }),
).transform((r): PolicyRule => r);

const Selector = mapping(
  z.object({
    matchLabels: Labels,
    matchExpressions: list(
      mapping(
        z.object({
          key: z.string().min(1, { error: 'expected a non-empty string' }),
          operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist'] satisfies SelectorOperator[], {
            error: (i) => `expected In, NotIn, Exists or DoesNotExist, got ${show(i.input)}`,
          }),
          values: Strings,
        }),
      ),
    ),
  }),
).transform((s): LabelSelector => s);

const Metadata = mapping(z.object({ labels: Labels }));

const roleDocument = <S extends z.ZodType>(selectors: S) =>
  z.object({
    metadata: Metadata,
    rules: list(Rule),
    aggregationRule: mapping(z.object({ clusterRoleSelectors: selectors }))
      .nullish()
      .transform((v) => v ?? undefined),
  });
// only a ClusterRole aggregates; a Role's aggregationRule is not read beyond being a mapping
const ClusterRoleDocument = z.compile(roleDocument(list(Selector)));
const RoleDocument = z.compile(roleDocument(z.unknown()));

const SubjectSchema = mapping(
  z.object({
    kind: z.enum(['User', 'Group', 'ServiceAccount'] satisfies SubjectKind[], {
      error: (i) => `expected User, Group or ServiceAccount, got ${show(i.input)}`,
    }),
    name: z.string().min(1, { error: 'expected a non-empty string' }),
    namespace: optString,
  }),
).transform(
  ({ kind, name, namespace }): Subject =>
    kind === 'ServiceAccount' && namespace ? { kind, name, namespace } : { kind, name },
);

/** A RoleBinding may refer to a Role or a ClusterRole; a ClusterRoleBinding only to a ClusterRole. */
const bindingDocument = <K extends Binding['roleRef']['kind']>(refKinds: readonly [K, ...K[]]) =>
  z.object({
    metadata: Metadata,
    roleRef: mapping(
      z.object({
        kind: z.enum(refKinds, { error: (i) => `expected ${refKinds.join(' or ')}, got ${show(i.input)}` }),
        name: z.string().min(1, { error: 'expected a non-empty string' }),
      }),
    ),
    subjects: list(SubjectSchema),
  });
const RoleBindingDocument = z.compile(bindingDocument(['Role', 'ClusterRole']));
const ClusterRoleBindingDocument = z.compile(bindingDocument(['ClusterRole']));

/** A field the API would refuse: its path (for the line) and `path: expected X, got Y`. */
class BadField {
  constructor(
    readonly path: readonly PropertyKey[],
    readonly message: string,
  ) {}
}

function read<S extends z.ZodType>(schema: S, object: unknown): z.output<S> {
  const r = schema.safeParse(object);
  if (r.success) return r.data;
  throw new BadField(r.error.issues[0]?.path ?? [], describeIssues(r.error));
}

function required(path: string[], what: string): BadField {
  return new BadField(path, `${path.join('.')}: is required${what}`);
}

function parseRole(r: KubeResource): Role {
  if (!r.name) throw required(['metadata', 'name'], '');
  if (r.kind === 'Role' && !r.namespace) throw required(['metadata', 'namespace'], ' for a Role');
  const doc = read(r.kind === 'ClusterRole' ? ClusterRoleDocument : RoleDocument, r.object);
  const bootstrap = doc.metadata.labels[BOOTSTRAP_LABEL] === 'rbac-defaults';
  const selectors =
    r.kind === 'ClusterRole'
      ? (doc.aggregationRule?.clusterRoleSelectors as LabelSelector[] | undefined)
      : undefined;
  return {
    kind: r.kind as Role['kind'],
    name: r.name,
    ...(r.kind === 'Role' && r.namespace ? { namespace: r.namespace } : {}),
    labels: doc.metadata.labels,
    rules: doc.rules,
    ruleSources: doc.rules.map((_, i) => ({ file: r.file, line: r.lineOf(['rules', i]) ?? r.line })),
    ...(selectors ? { aggregationRule: selectors } : {}),
    bootstrap,
    source: { file: r.file, line: r.line },
  };
}

function parseBinding(r: KubeResource): Binding {
  if (!r.name) throw required(['metadata', 'name'], '');
  const isRB = r.kind === 'RoleBinding';
  if (isRB && !r.namespace) throw required(['metadata', 'namespace'], ' for a RoleBinding');
  const doc = read(isRB ? RoleBindingDocument : ClusterRoleBindingDocument, r.object);
  // upstream defaults a ServiceAccount subject of a RoleBinding to the binding's namespace
  const subjects = doc.subjects.map((subject) =>
    subject.kind === 'ServiceAccount' && !subject.namespace && isRB
      ? { ...subject, namespace: r.namespace as string }
      : subject,
  );
  return {
    kind: r.kind as Binding['kind'],
    name: r.name,
    ...(isRB ? { namespace: r.namespace as string } : {}),
    roleRef: { kind: doc.roleRef.kind, name: doc.roleRef.name },
    subjects,
    bootstrap: doc.metadata.labels[BOOTSTRAP_LABEL] === 'rbac-defaults',
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
      const message = err instanceof BadField ? err.message : String(err);
      const at = err instanceof BadField ? fieldLine(r, err.path) : r.line;
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

/** The line of a field, or of its nearest present ancestor. */
function fieldLine(r: KubeResource, path: readonly PropertyKey[]): number {
  const keys = path.filter((k): k is string | number => typeof k !== 'symbol');
  for (let n = keys.length; n > 0; n--) {
    const line = r.lineOf(keys.slice(0, n));
    if (line !== undefined) return line;
  }
  return r.line;
}
