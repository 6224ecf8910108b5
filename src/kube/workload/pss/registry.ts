import {
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  windowsHostProcess,
} from './checks/host.js';
import { restrictedVolumes, sysctls } from './checks/misc.js';
import {
  allowPrivilegeEscalation,
  capabilitiesBaseline,
  capabilitiesRestricted,
  privileged,
  runAsNonRoot,
  runAsUser,
} from './checks/privileges.js';
import {
  appArmorProfile,
  procMount,
  procMountRestricted,
  seccompProfileBaseline,
  seccompProfileRestricted,
  seLinuxOptions,
} from './checks/profiles.js';
import type { PssCheck, PssLevel, PssVersion, VersionedCheck } from './types.js';

const byId = (a: PssCheck, b: PssCheck) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every upstream check, baseline first then restricted, each sorted by id (upstream's evaluation order). */
export const PSS_CHECKS: readonly PssCheck[] = [
  ...[
    hostNamespaces,
    privileged,
    capabilitiesBaseline,
    hostPathVolumes,
    hostPorts,
    appArmorProfile,
    seLinuxOptions,
    procMount,
    seccompProfileBaseline,
    sysctls,
    windowsHostProcess,
    hostProbesAndHostLifecycle,
  ].sort(byId),
  ...[
    restrictedVolumes,
    allowPrivilegeEscalation,
    runAsNonRoot,
    runAsUser,
    seccompProfileRestricted,
    capabilitiesRestricted,
    procMountRestricted,
  ].sort(byId),
];

/** The newest policy minor any check defines; `latest` and newer versions evaluate as this one. */
export const MAX_PSS_MINOR = Math.max(
  ...PSS_CHECKS.map((c) => c.versions[c.versions.length - 1]?.minimumVersion ?? 0),
);

/** The policy minor a requested version evaluates as. */
export function effectiveMinor(version: PssVersion): number {
  return version.latest ? MAX_PSS_MINOR : Math.min(version.minor, MAX_PSS_MINOR);
}

/** The revision of a check in force at a policy minor, if the check exists yet. */
export function revisionAt(check: PssCheck, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of check.versions) if (v.minimumVersion <= minor) found = v;
  return found;
}

export interface ActiveCheck {
  readonly check: PssCheck;
  readonly revision: VersionedCheck;
}

/**
 * The checks a level runs at a version: baseline runs baseline checks; restricted runs
 * restricted checks plus the baseline checks that no restricted revision overrides.
 */
export function activeChecks(level: PssLevel, version: PssVersion): ActiveCheck[] {
  const minor = effectiveMinor(version);
  const active: ActiveCheck[] = [];
  for (const check of PSS_CHECKS) {
    const revision = revisionAt(check, minor);
    if (revision) active.push({ check, revision });
  }
  if (level === 'baseline') return active.filter((a) => a.check.level === 'baseline');
  const overridden = new Set(
    active.filter((a) => a.check.level === 'restricted').flatMap((a) => a.revision.overrides ?? []),
  );
  return active.filter((a) => !overridden.has(a.check.id));
}
