#!/usr/bin/env node
// Writes src/kube/rbac/bootstrap/v1-NN.ts from the default RBAC objects of a running API server
// (label kubernetes.io/bootstrapping=rbac-defaults), read right after start.sh:
//   node test/support/kube/rbac-defaults-to-ts.mjs STATE_DIR 34 > src/kube/rbac/bootstrap/v1-34.ts
// Kept: kind, name, namespace, labels, aggregationRule, rules, roleRef, subjects (in the server's
// list order). Dropped: annotations (autoupdate), uid, resourceVersion, timestamps, managedFields,
// and the rules of aggregated ClusterRoles (the server creates them empty and the aggregation
// controller fills them in; Strata aggregates them itself).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [stateDir, minor] = process.argv.slice(2);
if (!stateDir || !/^\d+$/.test(minor ?? '')) {
  console.error('usage: rbac-defaults-to-ts.mjs STATE_DIR MINOR');
  process.exit(2);
}
const env = Object.fromEntries(
  readFileSync(join(stateDir, 'env'), 'utf8')
    .split('\n')
    .map((l) => /^export ([A-Z_]+)=(.*)$/.exec(l))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
const list = (kind) =>
  JSON.parse(
    execFileSync('curl', [
      '-fsS',
      '--cacert',
      env.KUBE_CA,
      '-H',
      `Authorization: Bearer ${env.KUBE_ADMIN_TOKEN}`,
      `${env.KUBE_URL}/apis/rbac.authorization.k8s.io/v1/${kind}?labelSelector=kubernetes.io/bootstrapping%3Drbac-defaults`,
    ]),
  ).items;
const version = JSON.parse(
  execFileSync('curl', ['-fsS', '--cacert', env.KUBE_CA, `${env.KUBE_URL}/version`]),
);

// bare only where no YAML reader could take it for anything but a string
const plain = (s) =>
  /^[A-Za-z][A-Za-z0-9._/-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s);
const scalar = (s) => (typeof s === 'string' && plain(s) ? s : JSON.stringify(s));
const flow = (v) => {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${scalar(k)}: ${flow(x)}`)
      .join(', ')}}`;
  return scalar(v);
};
const meta = (o) => ({
  name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  labels: o.metadata.labels ?? {},
});
const RULE_KEYS = ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'verbs'];
const rule = (r) => Object.fromEntries(RULE_KEYS.filter((k) => r[k]?.length).map((k) => [k, r[k]]));
const subject = (s) => ({ kind: s.kind, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) });

const role = (kind) => (o) => {
  const lines = ['apiVersion: rbac.authorization.k8s.io/v1', `kind: ${kind}`, `metadata: ${flow(meta(o))}`];
  if (o.aggregationRule) {
    lines.push(`aggregationRule: ${flow(o.aggregationRule)}`, 'rules: null');
  } else if (!o.rules?.length) {
    lines.push('rules: []');
  } else {
    lines.push('rules:', ...o.rules.map((r) => `- ${flow(rule(r))}`));
  }
  return lines.join('\n');
};
const binding = (kind) => (o) =>
  [
    'apiVersion: rbac.authorization.k8s.io/v1',
    `kind: ${kind}`,
    `metadata: ${flow(meta(o))}`,
    `roleRef: ${flow({ apiGroup: 'rbac.authorization.k8s.io', kind: o.roleRef.kind, name: o.roleRef.name })}`,
    `subjects: ${flow((o.subjects ?? []).map(subject))}`,
  ].join('\n');

const doc = (name, items) => `export const ${name} = \`${items.join('\n---\n')}\n\`;\n`;
process.stdout.write(`// Data: the default RBAC objects of Kubernetes v1.${minor}, read from a running kube-apiserver
// ${version.gitVersion} (objects labelled kubernetes.io/bootstrapping=rbac-defaults, right after start) by
// test/support/kube/rbac-defaults-to-ts.mjs; see SOURCE in this folder. Kept as YAML text; parsed on first use.

${doc('CLUSTER_ROLES_YAML', list('clusterroles').map(role('ClusterRole')))}
${doc('CLUSTER_ROLE_BINDINGS_YAML', list('clusterrolebindings').map(binding('ClusterRoleBinding')))}
${doc('ROLES_YAML', list('roles').map(role('Role')))}
${doc('ROLE_BINDINGS_YAML', list('rolebindings').map(binding('RoleBinding')))}`);
