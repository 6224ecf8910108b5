import type { ObjectPath } from '../../../load/index.js';
import { bool, type Obj, obj, str, visitContainers } from '../../view.js';
import { containersPhrase, joinQuote, pluralize, sortedSet } from '../helpers.js';
import type { CheckPodFn, PssCheck } from '../types.js';

const sc = (o: Obj | undefined) => obj(o, 'securityContext');
const annotations = (metadata: Obj): [string, string][] =>
  Object.entries(obj(metadata, 'annotations') ?? {}).map(([k, v]) => [
    k,
    typeof v === 'string' ? v : String(v),
  ]);
/** Go's %q for the printable ASCII values annotations hold */
const quote = (v: string) => JSON.stringify(v);

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  title: 'AppArmor',
  description:
    'The default AppArmor profile must not be overridden or disabled: only RuntimeDefault and Localhost profiles are allowed.',
  severity: 'MEDIUM',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (metadata, spec) => {
        const allowedType = (t: string) => t === 'RuntimeDefault' || t === 'Localhost';
        const setters: string[] = [];
        const values = new Set<string>();
        const fields: ObjectPath[] = [];
        const podProfile = obj(sc(spec), 'appArmorProfile');
        if (podProfile && !allowedType(str(podProfile, 'type'))) {
          setters.push('pod');
          values.add(str(podProfile, 'type'));
          fields.push(['spec', 'securityContext', 'appArmorProfile', 'type']);
        }
        const bad: string[] = [];
        for (const c of visitContainers(spec)) {
          const profile = obj(sc(c.container), 'appArmorProfile');
          if (profile && !allowedType(str(profile, 'type'))) {
            bad.push(c.name);
            values.add(str(profile, 'type'));
            fields.push(['spec', ...c.path, 'securityContext', 'appArmorProfile', 'type']);
          }
        }
        if (bad.length > 0) setters.push(containersPhrase(bad));
        const forbiddenAnnotations: string[] = [];
        for (const [k, v] of annotations(metadata)) {
          const allowed = v === '' || v === 'runtime/default' || v.startsWith('localhost/');
          if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowed) {
            forbiddenAnnotations.push(`${k}=${quote(v)}`);
            fields.push(['metadata', 'annotations', k]);
          }
        }
        const valueList = sortedSet(values);
        if (forbiddenAnnotations.length > 0) {
          for (const item of sortedSet(forbiddenAnnotations)) valueList.push(item);
          setters.push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
        }
        if (setters.length === 0) return undefined;
        return {
          reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', valueList.length),
          detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(valueList)}`,
          fields,
        };
      },
    },
  ],
};

function seLinuxOptionsCheck(allowedTypes: ReadonlySet<string>): CheckPodFn {
  return (_metadata, spec) => {
    const badTypes = new Set<string>();
    let setUser = false;
    let setRole = false;
    const fields: ObjectPath[] = [];
    const valid = (opts: Obj, path: ObjectPath): boolean => {
      let ok = true;
      const type = str(opts, 'type');
      if (!allowedTypes.has(type)) {
        ok = false;
        badTypes.add(type);
        fields.push([...path, 'type']);
      }
      if (str(opts, 'user') !== '') {
        ok = false;
        setUser = true;
        fields.push([...path, 'user']);
      }
      if (str(opts, 'role') !== '') {
        ok = false;
        setRole = true;
        fields.push([...path, 'role']);
      }
      return ok;
    };
    const setters: string[] = [];
    const podOpts = obj(sc(spec), 'seLinuxOptions');
    if (podOpts && !valid(podOpts, ['spec', 'securityContext', 'seLinuxOptions'])) setters.push('pod');
    const bad: string[] = [];
    for (const c of visitContainers(spec)) {
      const opts = obj(sc(c.container), 'seLinuxOptions');
      if (opts && !valid(opts, ['spec', ...c.path, 'securityContext', 'seLinuxOptions'])) bad.push(c.name);
    }
    if (bad.length > 0) setters.push(containersPhrase(bad));
    if (setters.length === 0) return undefined;
    const data: string[] = [];
    if (badTypes.size > 0) {
      const types = sortedSet(badTypes);
      data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    }
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return {
      reason: 'seLinuxOptions',
      detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
      fields,
    };
  };
}

const SELINUX_TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_TYPES_1_31 = new Set([...SELINUX_TYPES_1_0, 'container_engine_t']);

export const seLinuxOptions: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  title: 'SELinux',
  description:
    'Setting the SELinux type is restricted, and setting a custom SELinux user or role is forbidden.',
  severity: 'MEDIUM',
  versions: [
    { minimumVersion: 0, checkPod: seLinuxOptionsCheck(SELINUX_TYPES_1_0) },
    { minimumVersion: 31, checkPod: seLinuxOptionsCheck(SELINUX_TYPES_1_31) },
  ],
};

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const validSeccomp = (t: string) => t === 'Localhost' || t === 'RuntimeDefault';
const validSeccompAnnotation = (v: string) =>
  v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');

const seccompProfileBaseline_1_0: CheckPodFn = (metadata, spec) => {
  const all = obj(metadata, 'annotations') ?? {};
  const forbidden = new Set<string>();
  const fields: ObjectPath[] = [];
  const test = (key: string) => {
    const v = all[key];
    if (v === undefined) return;
    const value = typeof v === 'string' ? v : String(v);
    if (!validSeccompAnnotation(value)) {
      forbidden.add(`${key}=${quote(value)}`);
      fields.push(['metadata', 'annotations', key]);
    }
  };
  test(SECCOMP_POD_ANNOTATION);
  for (const c of visitContainers(spec)) test(SECCOMP_CONTAINER_PREFIX + c.name);
  if (forbidden.size === 0) return undefined;
  const list = sortedSet(forbidden);
  return {
    reason: 'seccompProfile',
    detail: `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`,
    fields,
  };
};

/** Shared by baseline 1.19 (explicitly bad values only) and restricted 1.19 (also requires a profile). */
function seccompProfileFields(requireProfile: boolean): CheckPodFn {
  return (_metadata, spec) => {
    const setters: string[] = [];
    const values = new Set<string>();
    const fields: ObjectPath[] = [];
    let podSet = false;
    const podProfile = obj(sc(spec), 'seccompProfile');
    if (podProfile) {
      if (!validSeccomp(str(podProfile, 'type'))) {
        setters.push('pod');
        values.add(str(podProfile, 'type'));
        fields.push(['spec', 'securityContext', 'seccompProfile', 'type']);
      } else {
        podSet = true;
      }
    }
    const explicit: string[] = [];
    const implicit: string[] = [];
    const implicitFields: ObjectPath[] = [];
    for (const c of visitContainers(spec)) {
      const profile = obj(sc(c.container), 'seccompProfile');
      const path = ['spec', ...c.path, 'securityContext', 'seccompProfile'];
      if (profile) {
        if (!validSeccomp(str(profile, 'type'))) {
          explicit.push(c.name);
          values.add(str(profile, 'type'));
          fields.push([...path, 'type']);
        }
      } else if (requireProfile && !podSet) {
        implicit.push(c.name);
        implicitFields.push(path);
      }
    }
    if (explicit.length > 0) setters.push(containersPhrase(explicit));
    if (setters.length > 0) {
      return {
        reason: 'seccompProfile',
        detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}`,
        fields,
      };
    }
    if (implicit.length > 0) {
      return {
        reason: 'seccompProfile',
        detail: `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        fields: implicitFields,
      };
    }
    return undefined;
  };
}

export const seccompProfileBaseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  title: 'Seccomp',
  description: 'If a seccomp profile is set, only the runtime default and localhost profiles are allowed.',
  severity: 'MEDIUM',
  versions: [
    { minimumVersion: 0, checkPod: seccompProfileBaseline_1_0 },
    { minimumVersion: 19, checkPod: seccompProfileFields(false) },
  ],
};

const seccompProfileRestricted_1_19 = seccompProfileFields(true);

export const seccompProfileRestricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  title: 'Seccomp (restricted)',
  description: 'A seccomp profile must be set (RuntimeDefault or Localhost) for the pod or every container.',
  severity: 'MEDIUM',
  versions: [
    { minimumVersion: 19, checkPod: seccompProfileRestricted_1_19, overrides: ['seccompProfile_baseline'] },
    {
      minimumVersion: 25,
      checkPod: (metadata, spec) =>
        str(obj(spec, 'os'), 'name') === 'windows'
          ? undefined
          : seccompProfileRestricted_1_19(metadata, spec),
      overrides: ['seccompProfile_baseline'],
    },
  ],
};

const procMount_1_0: CheckPodFn = (_metadata, spec) => {
  const bad: string[] = [];
  const types = new Set<string>();
  const fields: ObjectPath[] = [];
  for (const c of visitContainers(spec)) {
    const context = sc(c.container);
    if (!context || context.procMount === undefined || context.procMount === null) continue;
    const value = str(context, 'procMount');
    if (value !== 'Default') {
      bad.push(c.name);
      types.add(value);
      fields.push(['spec', ...c.path, 'securityContext', 'procMount']);
    }
  }
  if (bad.length === 0) return undefined;
  return {
    reason: 'procMount',
    detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
    fields,
  };
};

export const procMount: PssCheck = {
  id: 'procMount',
  level: 'baseline',
  title: '/proc mount type',
  description:
    'The default /proc masks must be kept (procMount Default), except for pods in a user namespace.',
  severity: 'MEDIUM',
  versions: [
    { minimumVersion: 0, checkPod: procMount_1_0 },
    {
      minimumVersion: 35,
      checkPod: (metadata, spec) =>
        bool(spec, 'hostUsers') === false ? undefined : procMount_1_0(metadata, spec),
    },
  ],
};

export const procMountRestricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  title: '/proc mount type (restricted)',
  description: 'The default /proc masks must be kept (procMount Default), whatever the pod.',
  severity: 'MEDIUM',
  versions: [{ minimumVersion: 35, checkPod: procMount_1_0, overrides: ['procMount'] }],
};
