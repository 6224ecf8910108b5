import { describe, expect, it } from 'vitest';
import { escalationFindings } from './escalation.js';
import { RISK_RULE_IDS } from './risk-rules.js';
import { riskFindings } from './risks.js';
import { authorizerOf } from './testing.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
rules:
${rules}
`;
const crb = (subjects: string, name = 'b') => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
subjects: ${subjects}
`;
const rb = (subjects: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
subjects: ${subjects}
`;
const USER = '[{kind: User, name: alice}]';
const ids = (yaml: string) =>
  [...new Set(riskFindings(authorizerOf(yaml)).map((f) => `${f.id} ${f.severity}`))].sort();

describe('RBAC risk rules', () => {
  it('has at least 15 rules, each id unique', () => {
    expect(RISK_RULE_IDS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(RISK_RULE_IDS).size).toBe(RISK_RULE_IDS.length);
  });

  it.each<[string, string, string, string[]]>([
    [
      'cluster-admin equivalent',
      '- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}',
      crb(USER),
      [
        'RBAC-BIND CRITICAL',
        'RBAC-CLUSTER-ADMIN CRITICAL',
        'RBAC-CREATE-PODS HIGH',
        'RBAC-CSR-APPROVE CRITICAL',
        'RBAC-ESCALATE CRITICAL',
        'RBAC-IMPERSONATE CRITICAL',
        'RBAC-NODES-PROXY HIGH',
        'RBAC-POD-EXEC HIGH',
        'RBAC-PV-CREATE HIGH',
        'RBAC-RBAC-WRITE HIGH',
        'RBAC-SA-TOKEN-CREATE HIGH',
        'RBAC-SECRETS-READ HIGH',
        'RBAC-WEBHOOK-WRITE HIGH',
        'RBAC-WILDCARD-RESOURCES MEDIUM',
        'RBAC-WILDCARD-VERBS MEDIUM',
      ],
    ],
    [
      'secrets read cluster-wide',
      '- {apiGroups: [""], resources: [secrets], verbs: [list]}',
      crb(USER),
      ['RBAC-SECRETS-READ HIGH'],
    ],
    [
      'secrets read in one namespace',
      '- {apiGroups: [""], resources: [secrets], verbs: [get]}',
      rb(USER),
      ['RBAC-SECRETS-READ MEDIUM'],
    ],
    [
      'one named secret only',
      '- {apiGroups: [""], resources: [secrets], resourceNames: [tls], verbs: [get]}',
      crb(USER),
      [],
    ],
    [
      'pods/exec',
      '- {apiGroups: [""], resources: [pods/exec], verbs: [create]}',
      rb(USER),
      ['RBAC-POD-EXEC MEDIUM'],
    ],
    [
      'pods/portforward',
      '- {apiGroups: [""], resources: [pods/portforward], verbs: [create]}',
      crb(USER),
      ['RBAC-POD-EXEC HIGH'],
    ],
    [
      'create deployments',
      '- {apiGroups: [apps], resources: [deployments], verbs: [create]}',
      rb(USER),
      ['RBAC-CREATE-PODS MEDIUM'],
    ],
    [
      'create cronjobs',
      '- {apiGroups: [batch], resources: [cronjobs], verbs: [create]}',
      crb(USER),
      ['RBAC-CREATE-PODS HIGH'],
    ],
    [
      'escalate',
      '- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate]}',
      crb(USER),
      ['RBAC-ESCALATE CRITICAL'],
    ],
    [
      'bind',
      '- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind]}',
      rb(USER),
      ['RBAC-BIND HIGH'],
    ],
    [
      'impersonate',
      '- {apiGroups: [""], resources: [users, groups], verbs: [impersonate]}',
      crb(USER),
      ['RBAC-IMPERSONATE CRITICAL'],
    ],
    [
      'nodes/proxy',
      '- {apiGroups: [""], resources: [nodes/proxy], verbs: [get]}',
      crb(USER),
      ['RBAC-NODES-PROXY HIGH'],
    ],
    [
      'token create',
      '- {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}',
      crb(USER),
      ['RBAC-SA-TOKEN-CREATE HIGH'],
    ],
    [
      'CSR create + approval + signer approve',
      `- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}
- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}
- {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve]}`,
      crb(USER),
      ['RBAC-CSR-APPROVE CRITICAL'],
    ],
    [
      'CSR approval without a signer',
      `- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests, certificatesigningrequests/approval], verbs: [create, update]}`,
      crb(USER),
      [],
    ],
    [
      'webhook configuration write',
      '- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [patch]}',
      crb(USER),
      ['RBAC-WEBHOOK-WRITE HIGH'],
    ],
    [
      'persistent volumes',
      '- {apiGroups: [""], resources: [persistentvolumes], verbs: [create]}',
      crb(USER),
      ['RBAC-PV-CREATE HIGH'],
    ],
    [
      'RBAC write',
      '- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}',
      rb(USER),
      ['RBAC-RBAC-WRITE MEDIUM'],
    ],
    [
      'anonymous',
      '- {apiGroups: [""], resources: [configmaps], verbs: [get]}',
      crb('[{kind: Group, name: "system:unauthenticated"}]'),
      ['RBAC-ANONYMOUS-ACCESS CRITICAL'],
    ],
    [
      'anonymous user, URLs only',
      '- {nonResourceURLs: ["/metrics"], verbs: [get]}',
      crb('[{kind: User, name: "system:anonymous"}]'),
      ['RBAC-ANONYMOUS-ACCESS MEDIUM'],
    ],
    [
      'all authenticated',
      '- {apiGroups: [""], resources: [configmaps], verbs: [get]}',
      crb('[{kind: Group, name: "system:authenticated"}]'),
      ['RBAC-ALL-AUTHENTICATED HIGH'],
    ],
    [
      'all service accounts',
      '- {apiGroups: [""], resources: [configmaps], verbs: [get]}',
      crb('[{kind: Group, name: "system:serviceaccounts"}]'),
      ['RBAC-ALL-SERVICE-ACCOUNTS MEDIUM'],
    ],
    [
      'default service account bound',
      '- {apiGroups: [""], resources: [configmaps], verbs: [get]}',
      rb('[{kind: ServiceAccount, name: default}]'),
      ['RBAC-DEFAULT-SA-BOUND MEDIUM'],
    ],
    [
      'system:masters bound',
      '- {apiGroups: [""], resources: [configmaps], verbs: [get]}',
      crb('[{kind: Group, name: "system:masters"}]'),
      ['RBAC-SYSTEM-MASTERS HIGH'],
    ],
    [
      'a control-plane identity is not flagged',
      '- {apiGroups: [""], resources: [secrets], verbs: [get]}',
      crb('[{kind: User, name: "system:kube-controller-manager"}]'),
      [],
    ],
    [
      'read-only pods: nothing',
      '- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}',
      crb(USER),
      [],
    ],
  ])('%s', (_name, rules, binding, expected) => {
    expect(ids(role(rules) + binding)).toEqual(expected);
  });

  it('skips the API server bootstrap bindings and roles', () => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
subjects: [{kind: Group, name: "system:masters"}]
`;
    expect(ids(yaml)).toEqual([]);
  });

  it('gives each finding its evidence: binding, role, subjects, the granting rules with file and line', () => {
    const yaml =
      role(
        '- {apiGroups: [""], resources: [pods], verbs: [get]}\n- {apiGroups: [""], resources: [secrets], verbs: [list]}',
      ) + crb(USER);
    const [f] = riskFindings(authorizerOf(yaml, 'rbac.yaml'));
    expect(f).toMatchObject({
      id: 'RBAC-SECRETS-READ',
      kind: 'rbac',
      aliases: ['CIS-5.1.2'],
      location: { path: 'rbac.yaml', line: 8, resource: 'ClusterRoleBinding/b' },
      evidence: {
        binding: 'ClusterRoleBinding/b',
        role: 'ClusterRole/r',
        scope: 'cluster-wide',
        subjects: ['User:alice'],
        rules: [{ index: 1, verbs: ['list'], resources: ['secrets'], file: 'rbac.yaml', line: 6 }],
      },
    });
  });
});

describe('escalation paths', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: ci}
rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer, namespace: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
subjects: [{kind: ServiceAccount, name: builder, namespace: ci}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: backup-secrets}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{kind: ServiceAccount, name: backup, namespace: ci}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: idle, namespace: ci}
`;

  it('reports "A can create pods in X -> runs as B -> B reads secrets cluster-wide" as one finding with each step', () => {
    const found = escalationFindings(authorizerOf(yaml, 'chain.yaml'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      id: 'RBAC-ESCALATION-PATH',
      severity: 'HIGH',
      location: { path: 'chain.yaml', line: 6, resource: 'RoleBinding/ci/deployer' },
      evidence: {
        subject: 'ServiceAccount:ci:builder',
        reaches: 'ServiceAccount:ci:backup',
        goals: ['readSecrets'],
        steps: [
          {
            step: 1,
            from: 'ServiceAccount:ci:builder',
            to: 'ServiceAccount:ci:backup',
            binding: 'RoleBinding/ci/deployer',
            role: 'Role/ci/deployer',
          },
        ],
      },
    });
  });

  it('follows chains over several subjects (token creation, then pod creation)', () => {
    const chain = `${yaml}---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: tokens, namespace: ci}
rules: [{apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [builder], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: tokens, namespace: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: tokens}
subjects: [{kind: User, name: mallory}]
`;
    const found = escalationFindings(authorizerOf(chain)).find(
      (f) => 'subject' in f.evidence && f.evidence.subject === 'User:mallory',
    );
    const steps = found && 'steps' in found.evidence ? found.evidence.steps : [];
    expect(steps.map((s) => s.to)).toEqual(['ServiceAccount:ci:builder', 'ServiceAccount:ci:backup']);
  });

  it('reports nothing when no subject can reach more than it has', () => {
    const safe = yaml.replace('verbs: [create]}]', 'verbs: [get]}]');
    expect(escalationFindings(authorizerOf(safe))).toEqual([]);
  });
});
