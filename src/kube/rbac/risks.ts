import {
  type BindingEvidence,
  type RbacFinding,
  type RbacRuleEvidence,
  rbacFinding,
} from '../../core/finding/index.js';
import type { Severity } from '../../core/severity.js';
import type { Authorizer } from './authorizer.js';
import { CAPABILITIES, capabilityRules } from './capabilities.js';
import { formatSubject } from './identity.js';
import { bindingRef, roleRef, roleRefOf } from './refs.js';
import { CAPABILITY_RISKS, STRUCTURAL_RISKS } from './risk-rules.js';
import type { Binding, PolicyRule, Role, Subject } from './types.js';

const RBAC_DOCS = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';

/** Control-plane identities whose broad rights are by design (`system:kube-scheduler`, `system:masters`, nodes). */
export function isSystemSubject(s: Subject): boolean {
  if (s.kind === 'ServiceAccount') return false;
  return s.name.startsWith('system:') && !PUBLIC_GROUPS.has(s.name) && s.name !== 'system:anonymous';
}

const PUBLIC_GROUPS = new Set(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts']);

export function ruleEvidence(role: Role, indexes: readonly number[]): RbacRuleEvidence[] {
  return indexes.map((i) => {
    const r = role.rules[i] as PolicyRule;
    const src = role.ruleSources[i] ?? role.source;
    return {
      index: i,
      verbs: r.verbs,
      apiGroups: r.apiGroups,
      resources: r.resources,
      ...(r.resourceNames.length ? { resourceNames: r.resourceNames } : {}),
      ...(r.nonResourceURLs.length ? { nonResourceURLs: r.nonResourceURLs } : {}),
      file: src.file,
      line: src.line,
    };
  });
}

function bindingFinding(
  id: string,
  severity: Severity,
  title: string,
  binding: Binding,
  role: Role | undefined,
  subjects: readonly Subject[],
  extra: Pick<BindingEvidence, 'rules'>,
  cis?: string,
): RbacFinding {
  return rbacFinding({
    id,
    severity,
    title,
    location: { path: binding.source.file, line: binding.source.line, resource: bindingRef(binding) },
    evidence: {
      binding: bindingRef(binding),
      role: role ? roleRef(role) : roleRefOf(binding),
      scope: binding.namespace ? `namespace ${binding.namespace}` : 'cluster-wide',
      subjects: subjects.map(formatSubject),
      ...extra,
      ...(cis ? { cis: `CIS Kubernetes Benchmark v1.9 ${cis}` } : {}),
    },
    ...(cis ? { aliases: [`CIS-${cis}`] } : {}),
    references: [RBAC_DOCS],
  });
}

const who = (subjects: readonly Subject[]) => subjects.map(formatSubject).join(', ');
const scopeText = (b: Binding) => (b.namespace ? ` in namespace ${b.namespace}` : ' cluster-wide');

/**
 * The rules of a role that give each capability risk (undefined: the role does not give it), in
 * CAPABILITY_RISKS order: computed once per role, however many bindings name it.
 */
type RoleRisks = readonly (readonly number[] | undefined)[];
const roleRisks = (role: Role): RoleRisks =>
  CAPABILITY_RISKS.map((risk) => capabilityRules(role.rules, CAPABILITIES[risk.capability]));

/** Capability risks: one finding per (rule, binding), naming the subjects and the rules that grant it. */
function capabilityFindings(binding: Binding, role: Role, risks: (role: Role) => RoleRisks): RbacFinding[] {
  const subjects = binding.subjects.filter((s) => !isSystemSubject(s));
  if (subjects.length === 0) return [];
  const out: RbacFinding[] = [];
  const given = risks(role);
  for (const [i, risk] of CAPABILITY_RISKS.entries()) {
    const rules = given[i];
    if (!rules) continue;
    const severity = binding.namespace ? risk.severity.namespace : risk.severity.cluster;
    out.push(
      bindingFinding(
        risk.id,
        severity,
        `${who(subjects)} can ${risk.does}${scopeText(binding)}`,
        binding,
        role,
        subjects,
        { rules: ruleEvidence(role, rules) },
        risk.cis,
      ),
    );
  }
  return out;
}

/** Grants to everyone: anonymous requests, every authenticated user, every service account. */
function audienceFindings(binding: Binding, role: Role): RbacFinding[] {
  const out: RbacFinding[] = [];
  const all = role.rules.map((_, i) => i);
  const resourceRules = role.rules.some((r) => r.resources.length > 0);
  const anonymous = binding.subjects.filter(
    (s) =>
      (s.kind === 'Group' && s.name === 'system:unauthenticated') ||
      (s.kind === 'User' && s.name === 'system:anonymous'),
  );
  if (anonymous.length && all.length) {
    out.push(
      bindingFinding(
        STRUCTURAL_RISKS.anonymous.id,
        resourceRules ? 'CRITICAL' : 'MEDIUM',
        `Unauthenticated requests are granted ${roleRefOf(binding)}${scopeText(binding)}`,
        binding,
        role,
        anonymous,
        { rules: ruleEvidence(role, all) },
      ),
    );
  }
  for (const [group, rule, severity] of [
    ['system:authenticated', STRUCTURAL_RISKS.allAuthenticated, 'HIGH'],
    ['system:serviceaccounts', STRUCTURAL_RISKS.allServiceAccounts, 'MEDIUM'],
  ] as const) {
    const subjects = binding.subjects.filter((s) => s.kind === 'Group' && s.name === group);
    if (!subjects.length || !all.length) continue;
    out.push(
      bindingFinding(
        rule.id,
        resourceRules ? severity : 'LOW',
        `Every ${group === 'system:authenticated' ? 'authenticated user' : 'service account'} is granted ${roleRefOf(binding)}${scopeText(binding)}`,
        binding,
        role,
        subjects,
        { rules: ruleEvidence(role, all) },
      ),
    );
  }
  return out;
}

function subjectFindings(binding: Binding, role: Role | undefined): RbacFinding[] {
  const out: RbacFinding[] = [];
  const defaults = binding.subjects.filter((s) => s.kind === 'ServiceAccount' && s.name === 'default');
  if (defaults.length) {
    out.push(
      bindingFinding(
        STRUCTURAL_RISKS.defaultServiceAccount.id,
        'MEDIUM',
        `Default service account ${who(defaults)} is bound to ${roleRefOf(binding)} (every pod that names no service account gets these rights)`,
        binding,
        role,
        defaults,
        {},
        STRUCTURAL_RISKS.defaultServiceAccount.cis,
      ),
    );
  }
  const masters = binding.subjects.filter((s) => s.kind === 'Group' && s.name === 'system:masters');
  if (masters.length) {
    out.push(
      bindingFinding(
        STRUCTURAL_RISKS.systemMasters.id,
        'HIGH',
        `${bindingRef(binding)} binds the system:masters group, whose members bypass RBAC entirely`,
        binding,
        role,
        masters,
        {},
        STRUCTURAL_RISKS.systemMasters.cis,
      ),
    );
  }
  return out;
}

/** Wildcards in roles the user wrote (not the API server's bootstrap roles). */
function wildcardFindings(role: Role): RbacFinding[] {
  const out: RbacFinding[] = [];
  for (const [rule, field, what] of [
    [STRUCTURAL_RISKS.wildcardVerbs, 'verbs', 'verbs'],
    [STRUCTURAL_RISKS.wildcardResources, 'resources', 'resources'],
  ] as const) {
    const idx = role.rules.flatMap((r, i) => (r[field].includes('*') ? [i] : []));
    if (!idx.length) continue;
    const first = role.ruleSources[idx[0] as number] ?? role.source;
    out.push(
      rbacFinding({
        id: rule.id,
        severity: 'MEDIUM',
        title: `${roleRef(role)} uses a wildcard in ${what} (grants future ${what} too)`,
        location: { path: first.file, line: first.line, resource: roleRef(role) },
        evidence: {
          role: roleRef(role),
          rules: ruleEvidence(role, idx),
          cis: `CIS Kubernetes Benchmark v1.9 ${rule.cis}`,
        },
        aliases: [`CIS-${rule.cis}`],
        references: [RBAC_DOCS],
      }),
    );
  }
  return out;
}

/**
 * The risk rules over every binding and role the user wrote. Objects the API server creates
 * itself (label `kubernetes.io/bootstrapping: rbac-defaults`) are skipped, and so are
 * control-plane identities (`system:` users and groups) for capability risks.
 */
export function riskFindings(authz: Authorizer): RbacFinding[] {
  const out: RbacFinding[] = [];
  const memo = new Map<Role, RoleRisks>();
  const risks = (role: Role): RoleRisks => {
    let known = memo.get(role);
    if (!known) {
      known = roleRisks(role);
      memo.set(role, known);
    }
    return known;
  };
  for (const role of authz.roles)
    if (!role.bootstrap) for (const item of wildcardFindings(role)) out.push(item);
  for (const binding of authz.model.bindings) {
    if (binding.bootstrap) continue;
    const role = authz.roleOf(binding);
    for (const item of subjectFindings(binding, role)) out.push(item);
    if (!role) continue;
    for (const item of capabilityFindings(binding, role, risks)) out.push(item);
    for (const item of audienceFindings(binding, role)) out.push(item);
  }
  return out;
}
