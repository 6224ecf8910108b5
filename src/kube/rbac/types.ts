/** One `rules[]` entry of a Role or ClusterRole, as the rbac.authorization.k8s.io/v1 API defines it. */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** Where a parsed object (or one of its fields) came from. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly {
    readonly key: string;
    readonly operator: SelectorOperator;
    readonly values: readonly string[];
  }[];
}

export interface Role {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
  /** set for Roles only */
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** the rules as written (for aggregated ClusterRoles, replaced by the aggregation result) */
  readonly rules: readonly PolicyRule[];
  /** the source line of each written rule, by index */
  readonly ruleSources: readonly SourceRef[];
  readonly aggregationRule?: readonly LabelSelector[];
  /** part of the defaults the API server creates (label kubernetes.io/bootstrapping=rbac-defaults) */
  readonly bootstrap: boolean;
  readonly source: SourceRef;
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface Subject {
  readonly kind: SubjectKind;
  readonly name: string;
  /** ServiceAccount subjects only */
  readonly namespace?: string;
}

export interface Binding {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  /** set for RoleBindings only */
  readonly namespace?: string;
  readonly roleRef: { readonly kind: 'Role' | 'ClusterRole'; readonly name: string };
  readonly subjects: readonly Subject[];
  readonly bootstrap: boolean;
  readonly source: SourceRef;
}

/** The service accounts a namespace is known to hold (declared, referenced, and `default`). */
export interface RbacModel {
  readonly roles: readonly Role[];
  readonly bindings: readonly Binding[];
  readonly serviceAccounts: ReadonlyMap<string, readonly string[]>;
  readonly namespaces: readonly string[];
}

/** What an authenticated request carries: a user name and the groups it belongs to. */
export interface Identity {
  readonly user?: string;
  readonly groups: readonly string[];
}

export type Request =
  | {
      readonly type: 'resource';
      readonly verb: string;
      readonly apiGroup: string;
      readonly resource: string;
      readonly subresource: string;
      /** empty for a cluster-wide request (or a cluster-scoped resource) */
      readonly namespace: string;
      readonly name: string;
    }
  | { readonly type: 'nonResource'; readonly verb: string; readonly path: string };

/** Which binding and role granted a request, and with which rule. */
export interface Grant {
  readonly binding: Binding;
  readonly role: Role;
  readonly rule: PolicyRule;
  readonly ruleIndex: number;
}
