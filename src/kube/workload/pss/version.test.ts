import { describe, expect, it } from 'vitest';
import { activeChecks, effectiveMinor, MAX_PSS_MINOR } from './registry.js';
import { parsePssLevel, parsePssVersion } from './version.js';

describe('policy version (upstream api.ParseVersion)', () => {
  it.each([
    ['latest', { latest: true }],
    ['v1.0', { latest: false, minor: 0 }],
    ['v1.25', { latest: false, minor: 25 }],
    ['v1.99', { latest: false, minor: 99 }],
  ])('parses %s', (text, expected) => {
    expect(parsePssVersion(text)).toEqual(expected);
  });

  it.each(['v1.01', '1.25', 'v2.0', 'v1.', 'v1.x', 'Latest', '', 'v1.25.0'])('refuses %j', (text) => {
    expect(() => parsePssVersion(text)).toThrow(/must be "latest" or "v1.x"/);
  });

  it('evaluates latest and any newer version as the newest version a check defines', () => {
    expect(MAX_PSS_MINOR).toBe(37);
    expect(effectiveMinor({ latest: true })).toBe(37);
    expect(effectiveMinor({ latest: false, minor: 99 })).toBe(37);
    expect(effectiveMinor({ latest: false, minor: 20 })).toBe(20);
  });

  it('refuses levels other than baseline and restricted', () => {
    expect(parsePssLevel('baseline')).toBe('baseline');
    expect(() => parsePssLevel('privileged')).toThrow(/--pss/);
  });
});

describe('checks in force per level and version', () => {
  const ids = (level: 'baseline' | 'restricted', minor?: number) =>
    activeChecks(level, minor === undefined ? { latest: true } : { latest: false, minor }).map(
      (a) => a.check.id,
    );

  const BASELINE_1_0 = [
    'appArmorProfile',
    'capabilities_baseline',
    'hostNamespaces',
    'hostPathVolumes',
    'hostPorts',
    'privileged',
    'procMount',
    'seLinuxOptions',
    'seccompProfile_baseline',
    'sysctls',
    'windowsHostProcess',
  ];

  it.each([
    ['baseline', 0, BASELINE_1_0],
    ['baseline', 33, BASELINE_1_0],
    [
      'baseline',
      34,
      [...BASELINE_1_0.slice(0, 4), 'hostPorts', 'hostProbesAndHostLifecycle', ...BASELINE_1_0.slice(5)],
    ],
    // v1.0 restricted: hostPath is overridden by restrictedVolumes; capabilities and seccomp
    // restricted checks do not exist yet, so their baseline checks still run
    [
      'restricted',
      0,
      [...BASELINE_1_0.filter((id) => id !== 'hostPathVolumes'), 'restrictedVolumes', 'runAsNonRoot'],
    ],
    [
      'restricted',
      8,
      [
        ...BASELINE_1_0.filter((id) => id !== 'hostPathVolumes'),
        'allowPrivilegeEscalation',
        'restrictedVolumes',
        'runAsNonRoot',
      ],
    ],
    [
      'restricted',
      23,
      [
        'appArmorProfile',
        'hostNamespaces',
        'hostPorts',
        'privileged',
        'procMount',
        'seLinuxOptions',
        'sysctls',
        'windowsHostProcess',
        'allowPrivilegeEscalation',
        'capabilities_restricted',
        'restrictedVolumes',
        'runAsNonRoot',
        'runAsUser',
        'seccompProfile_restricted',
      ],
    ],
    [
      'restricted',
      35,
      [
        'appArmorProfile',
        'hostNamespaces',
        'hostPorts',
        'hostProbesAndHostLifecycle',
        'privileged',
        'seLinuxOptions',
        'sysctls',
        'windowsHostProcess',
        'allowPrivilegeEscalation',
        'capabilities_restricted',
        'procMount_restricted',
        'restrictedVolumes',
        'runAsNonRoot',
        'runAsUser',
        'seccompProfile_restricted',
      ],
    ],
  ] as const)('%s at v1.%i', (level, minor, expected) => {
    expect(ids(level, minor)).toEqual(expected);
  });

  it('runs at latest what it runs at the newest version', () => {
    expect(ids('restricted')).toEqual(ids('restricted', 37));
    expect(ids('baseline')).toEqual(ids('baseline', 120));
  });
});
