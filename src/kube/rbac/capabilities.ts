import { ruleAllows } from './match.js';
import type { PolicyRule, Request } from './types.js';

/** One request a capability is probed with (the name is empty: "any object"). */
export interface Probe {
  readonly verb: string;
  readonly resource: string;
  readonly group?: string;
}

/** A capability holds when, for every group, some probe of the group is allowed. */
export type Capability = readonly (readonly Probe[])[];

export function probeRequest(p: Probe, namespace = ''): Extract<Request, { type: 'resource' }> {
  const slash = p.resource.indexOf('/');
  return {
    type: 'resource',
    verb: p.verb,
    apiGroup: p.group ?? '',
    resource: slash === -1 ? p.resource : p.resource.slice(0, slash),
    subresource: slash === -1 ? '' : p.resource.slice(slash + 1),
    namespace,
    name: '',
  };
}

const each = (verbs: string[], resources: string[], group = ''): Probe[] =>
  verbs.flatMap((verb) => resources.map((resource) => ({ verb, resource, group })));

export const CAPABILITIES = {
  /** `*` verbs on `*` resources in `*` groups: the probe verb `*` only matches a literal wildcard */
  everything: [[{ verb: '*', resource: '*', group: '*' }]],
  readSecrets: [each(['get', 'list', 'watch'], ['secrets'])],
  execInPods: [
    [
      ...each(['create', 'get'], ['pods/exec', 'pods/attach']),
      { verb: 'create', resource: 'pods/portforward' },
    ],
  ],
  createWorkloads: [
    [
      ...each(['create'], ['pods', 'replicationcontrollers']),
      ...each(['create'], ['deployments', 'daemonsets', 'statefulsets', 'replicasets'], 'apps'),
      ...each(['create'], ['jobs', 'cronjobs'], 'batch'),
    ],
  ],
  escalate: [each(['escalate'], ['roles', 'clusterroles'], 'rbac.authorization.k8s.io')],
  bind: [each(['bind'], ['roles', 'clusterroles'], 'rbac.authorization.k8s.io')],
  impersonate: [
    [
      ...each(['impersonate'], ['users', 'groups', 'serviceaccounts']),
      { verb: 'impersonate', resource: 'uids', group: 'authentication.k8s.io' },
    ],
  ],
  nodesProxy: [each(['get', 'create'], ['nodes/proxy'])],
  createTokens: [each(['create'], ['serviceaccounts/token'])],
  approveCsr: [
    each(['create'], ['certificatesigningrequests'], 'certificates.k8s.io'),
    each(['update', 'patch'], ['certificatesigningrequests/approval'], 'certificates.k8s.io'),
    each(['approve'], ['signers'], 'certificates.k8s.io'),
  ],
  writeWebhooks: [
    each(
      ['create', 'update', 'patch', 'delete'],
      ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
      'admissionregistration.k8s.io',
    ),
  ],
  createPersistentVolumes: [each(['create'], ['persistentvolumes'])],
  writeRbac: [
    each(
      ['create', 'update', 'patch'],
      ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
      'rbac.authorization.k8s.io',
    ),
  ],
} satisfies Record<string, Capability>;

export type CapabilityName = keyof typeof CAPABILITIES;

/**
 * The indexes of the rules that give a capability, or undefined when the rules do not give it
 * (some group of probes is allowed by none of them).
 */
export function capabilityRules(rules: readonly PolicyRule[], cap: Capability): number[] | undefined {
  const used = new Set<number>();
  for (const group of cap) {
    let any = false;
    for (const probe of group) {
      const req = probeRequest(probe);
      rules.forEach((rule, i) => {
        if (ruleAllows(rule, req)) {
          used.add(i);
          any = true;
        }
      });
    }
    if (!any) return undefined;
  }
  return [...used].sort((a, b) => a - b);
}
