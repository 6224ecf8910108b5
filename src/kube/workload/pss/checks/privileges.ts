import type { ObjectPath } from '../../../load/index.js';
import { arr, bool, num, type Obj, obj, str, visitContainers } from '../../view.js';
import { containersPhrase, joinQuote, sortedSet } from '../helpers.js';
import type { CheckPodFn, PssCheck } from '../types.js';

const sc = (o: Obj | undefined) => obj(o, 'securityContext');
const isWindows = (spec: Obj) => str(obj(spec, 'os'), 'name') === 'windows';
/** KEP-127: pods in a user namespace (`hostUsers: false`) */
const inUserNamespace = (spec: Obj) => bool(spec, 'hostUsers') === false;
const strings = (v: readonly unknown[]) => v.map((x) => (typeof x === 'string' ? x : String(x)));

/** From policy v1.25 the Linux-only restricted checks exempt pods that declare `spec.os.name: windows`. */
function exemptWindows(check: CheckPodFn): CheckPodFn {
  return (metadata, spec) => (isWindows(spec) ? undefined : check(metadata, spec));
}

/** From policy v1.35 these checks do not apply to pods in a user namespace. */
function exemptUserNamespace(check: CheckPodFn): CheckPodFn {
  return (metadata, spec) => (inUserNamespace(spec) ? undefined : check(metadata, spec));
}

export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  title: 'Privileged containers',
  description: 'Privileged pods disable most security mechanisms and must be disallowed.',
  severity: 'HIGH',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_metadata, spec) => {
        const bad = visitContainers(spec).filter((c) => bool(sc(c.container), 'privileged') === true);
        if (bad.length === 0) return undefined;
        return {
          reason: 'privileged',
          detail: `${containersPhrase(bad.map((c) => c.name))} must not set securityContext.privileged=true`,
          fields: bad.map((c) => ['spec', ...c.path, 'securityContext', 'privileged']),
        };
      },
    },
  ],
};

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export const capabilitiesBaseline: PssCheck = {
  id: 'capabilities_baseline',
  level: 'baseline',
  title: 'Capabilities',
  description:
    'Adding capabilities beyond the default set (for example NET_RAW or SYS_ADMIN) must be disallowed.',
  severity: 'MEDIUM',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_metadata, spec) => {
        const bad: string[] = [];
        const caps = new Set<string>();
        const fields: ObjectPath[] = [];
        for (const c of visitContainers(spec)) {
          const capabilities = obj(sc(c.container), 'capabilities');
          if (!capabilities) continue;
          const added = strings(arr(capabilities, 'add')).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
          if (added.length === 0) continue;
          for (const cap of added) caps.add(cap);
          bad.push(c.name);
          fields.push(['spec', ...c.path, 'securityContext', 'capabilities', 'add']);
        }
        if (bad.length === 0) return undefined;
        return {
          reason: 'non-default capabilities',
          detail: `${containersPhrase(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`,
          fields,
        };
      },
    },
  ],
};

const capabilitiesRestricted_1_22: CheckPodFn = (_metadata, spec) => {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden = new Set<string>();
  const fields: ObjectPath[] = [];
  for (const c of visitContainers(spec)) {
    const capsPath = ['spec', ...c.path, 'securityContext', 'capabilities'];
    const capabilities = obj(sc(c.container), 'capabilities');
    if (!capabilities) {
      missingDropAll.push(c.name);
      fields.push(capsPath);
      continue;
    }
    if (!strings(arr(capabilities, 'drop')).includes('ALL')) {
      missingDropAll.push(c.name);
      fields.push([...capsPath, 'drop']);
    }
    const added = strings(arr(capabilities, 'add')).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) {
      for (const cap of added) forbidden.add(cap);
      addingForbidden.push(c.name);
      fields.push([...capsPath, 'add']);
    }
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) {
    details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  }
  if (addingForbidden.length > 0) {
    details.push(
      `${containersPhrase(addingForbidden)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`,
    );
  }
  if (details.length === 0) return undefined;
  return { reason: 'unrestricted capabilities', detail: details.join('; '), fields };
};

export const capabilitiesRestricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  title: 'Capabilities (restricted)',
  description: 'Containers must drop ALL capabilities and may only add back NET_BIND_SERVICE.',
  severity: 'MEDIUM',
  versions: [
    { minimumVersion: 22, checkPod: capabilitiesRestricted_1_22, overrides: ['capabilities_baseline'] },
    {
      minimumVersion: 25,
      checkPod: exemptWindows(capabilitiesRestricted_1_22),
      overrides: ['capabilities_baseline'],
    },
  ],
};

const allowPrivilegeEscalation_1_8: CheckPodFn = (_metadata, spec) => {
  const bad = visitContainers(spec).filter(
    (c) => bool(sc(c.container), 'allowPrivilegeEscalation') !== false,
  );
  if (bad.length === 0) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${containersPhrase(bad.map((c) => c.name))} must set securityContext.allowPrivilegeEscalation=false`,
    fields: bad.map((c) => ['spec', ...c.path, 'securityContext', 'allowPrivilegeEscalation']),
  };
};

export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  title: 'Privilege escalation',
  description:
    'Privilege escalation (such as via set-user-ID or set-group-ID file mode) must not be allowed.',
  severity: 'MEDIUM',
  versions: [
    { minimumVersion: 8, checkPod: allowPrivilegeEscalation_1_8 },
    { minimumVersion: 25, checkPod: exemptWindows(allowPrivilegeEscalation_1_8) },
  ],
};

const runAsNonRoot_1_0: CheckPodFn = (_metadata, spec) => {
  const setters: string[] = [];
  const fields: ObjectPath[] = [];
  const pod = bool(sc(spec), 'runAsNonRoot');
  if (pod === false) {
    setters.push('pod');
    fields.push(['spec', 'securityContext', 'runAsNonRoot']);
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  const implicitFields: ObjectPath[] = [];
  for (const c of visitContainers(spec)) {
    const value = bool(sc(c.container), 'runAsNonRoot');
    const path = ['spec', ...c.path, 'securityContext', 'runAsNonRoot'];
    if (value === false) {
      explicit.push(c.name);
      fields.push(path);
    } else if (value === undefined && pod !== true) {
      implicit.push(c.name);
      implicitFields.push(path);
    }
  }
  if (explicit.length > 0) setters.push(containersPhrase(explicit));
  if (setters.length > 0) {
    return {
      reason: 'runAsNonRoot != true',
      detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`,
      fields,
    };
  }
  if (implicit.length > 0) {
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true`,
      fields: implicitFields,
    };
  }
  return undefined;
};

export const runAsNonRoot: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  title: 'Running as non-root',
  description: 'Containers must be required to run as non-root users (runAsNonRoot: true).',
  severity: 'MEDIUM',
  versions: [
    { minimumVersion: 0, checkPod: runAsNonRoot_1_0 },
    { minimumVersion: 35, checkPod: exemptUserNamespace(runAsNonRoot_1_0) },
  ],
};

const runAsUser_1_23: CheckPodFn = (_metadata, spec) => {
  const setters: string[] = [];
  const fields: ObjectPath[] = [];
  if (num(sc(spec), 'runAsUser') === 0) {
    setters.push('pod');
    fields.push(['spec', 'securityContext', 'runAsUser']);
  }
  const bad = visitContainers(spec).filter((c) => num(sc(c.container), 'runAsUser') === 0);
  for (const c of bad) fields.push(['spec', ...c.path, 'securityContext', 'runAsUser']);
  if (bad.length > 0) setters.push(containersPhrase(bad.map((c) => c.name)));
  if (setters.length === 0) return undefined;
  return { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0`, fields };
};

export const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  title: 'Running as non-root user',
  description: 'Containers must not set runAsUser to 0 (root).',
  severity: 'MEDIUM',
  versions: [
    { minimumVersion: 23, checkPod: runAsUser_1_23 },
    { minimumVersion: 35, checkPod: exemptUserNamespace(runAsUser_1_23) },
  ],
};
