import { describe, expect, it } from 'vitest';
import type { Obj } from '../view.js';
import { PSS_CHECKS, revisionAt } from './registry.js';

type Expected = readonly [reason: string, detail: string] | undefined;
type Case = readonly [name: string, minor: number, spec: Obj, expected: Expected, metadata?: Obj];

const LATEST = 37;
const c = (name: string, securityContext?: Obj, extra: Obj = {}): Obj => ({
  name,
  image: 'x',
  ...(securityContext ? { securityContext } : {}),
  ...extra,
});
const pod = (containers: Obj[], extra: Obj = {}): Obj => ({ containers, ...extra });

function run(id: string, minor: number, spec: Obj, metadata: Obj = {}) {
  const check = PSS_CHECKS.find((k) => k.id === id);
  if (!check) throw new Error(`no check ${id}`);
  const revision = revisionAt(check, minor);
  if (!revision) throw new Error(`${id} not defined at v1.${minor}`);
  const v = revision.checkPod(metadata, spec);
  return v && ([v.reason, v.detail] as const);
}

function table(id: string, cases: readonly Case[]) {
  describe(`PSS ${id}`, () => {
    for (const [name, minor, spec, expected, metadata] of cases) {
      it(name, () => {
        expect(run(id, minor, spec, metadata)).toEqual(expected);
      });
    }
  });
}

table('hostNamespaces', [
  ['allows unset host namespaces', LATEST, pod([c('a')]), undefined],
  ['allows false', LATEST, pod([c('a')], { hostNetwork: false, hostPID: false, hostIPC: false }), undefined],
  ['forbids hostNetwork', LATEST, pod([c('a')], { hostNetwork: true }), ['host namespaces', 'hostNetwork']],
  [
    'lists every shared namespace, sorted',
    0,
    pod([c('a')], { hostPID: true, hostIPC: true, hostNetwork: true }),
    ['host namespaces', 'hostIPC, hostNetwork, hostPID'],
  ],
]);

table('privileged', [
  ['allows unset', LATEST, pod([c('a')]), undefined],
  ['allows false', LATEST, pod([c('a', { privileged: false })]), undefined],
  [
    'forbids privileged containers of every type',
    0,
    pod([c('a', { privileged: true }), c('b')], {
      initContainers: [c('i', { privileged: true })],
      ephemeralContainers: [c('e', { privileged: true })],
    }),
    ['privileged', 'containers "i", "a", "e" must not set securityContext.privileged=true'],
  ],
]);

table('capabilities_baseline', [
  [
    'allows the default set',
    LATEST,
    pod([c('a', { capabilities: { add: ['CHOWN', 'KILL', 'SETUID'] } })]),
    undefined,
  ],
  ['allows dropping anything', LATEST, pod([c('a', { capabilities: { drop: ['ALL'] } })]), undefined],
  [
    'forbids NET_RAW and SYS_ADMIN',
    LATEST,
    pod([
      c('a', { capabilities: { add: ['SYS_ADMIN', 'NET_RAW', 'CHOWN'] } }),
      c('b', { capabilities: { add: ['NET_RAW'] } }),
    ]),
    [
      'non-default capabilities',
      'containers "a", "b" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add',
    ],
  ],
]);

table('hostPathVolumes', [
  ['allows other volumes', LATEST, pod([c('a')], { volumes: [{ name: 'v', emptyDir: {} }] }), undefined],
  [
    'forbids hostPath volumes',
    LATEST,
    pod([c('a')], {
      volumes: [
        { name: 'a', hostPath: { path: '/' } },
        { name: 'b', hostPath: {} },
      ],
    }),
    ['hostPath volumes', 'volumes "a", "b"'],
  ],
]);

table('hostPorts', [
  ['allows container ports', LATEST, pod([c('a', undefined, { ports: [{ containerPort: 80 }] })]), undefined],
  [
    'allows hostPort 0',
    LATEST,
    pod([c('a', undefined, { ports: [{ containerPort: 80, hostPort: 0 }] })]),
    undefined,
  ],
  [
    'forbids host ports, listed as sorted strings',
    LATEST,
    pod([
      c('a', undefined, { ports: [{ hostPort: 9090 }, { hostPort: 10000 }] }),
      c('b', undefined, { ports: [{ hostPort: 9090 }] }),
    ]),
    ['hostPort', 'containers "a", "b" use hostPorts 10000, 9090'],
  ],
  [
    'uses the singular for one container and port',
    LATEST,
    pod([c('a', undefined, { ports: [{ hostPort: 8080 }] })]),
    ['hostPort', 'container "a" uses hostPort 8080'],
  ],
]);

table('appArmorProfile', [
  ['allows no profile', LATEST, pod([c('a')]), undefined],
  [
    'allows RuntimeDefault and Localhost',
    LATEST,
    pod([c('a', { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } })], {
      securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
    }),
    undefined,
  ],
  [
    'forbids Unconfined on pod and containers',
    LATEST,
    pod([c('a', { appArmorProfile: { type: 'Unconfined' } })], {
      securityContext: { appArmorProfile: { type: 'Unconfined' } },
    }),
    [
      'forbidden AppArmor profile',
      'pod and container "a" must not set AppArmor profile type to "Unconfined"',
    ],
  ],
  [
    'forbids the unconfined annotation',
    0,
    pod([c('a')]),
    [
      'forbidden AppArmor profile',
      'annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/a="unconfined""',
    ],
    { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' } },
  ],
  [
    'allows runtime/default and localhost/ annotations',
    0,
    pod([c('a'), c('b')]),
    undefined,
    {
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/a': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/b': 'localhost/custom',
      },
    },
  ],
]);

table('seLinuxOptions', [
  [
    'allows container_t',
    LATEST,
    pod([c('a', { seLinuxOptions: { type: 'container_t', level: 's0:c1' } })]),
    undefined,
  ],
  [
    'allows container_engine_t from v1.31',
    31,
    pod([c('a', { seLinuxOptions: { type: 'container_engine_t' } })]),
    undefined,
  ],
  [
    'forbids container_engine_t before v1.31',
    30,
    pod([c('a', { seLinuxOptions: { type: 'container_engine_t' } })]),
    [
      'seLinuxOptions',
      'container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t"',
    ],
  ],
  [
    'forbids user and role',
    LATEST,
    pod([], { securityContext: { seLinuxOptions: { user: 'u', role: 'r' } } }),
    [
      'seLinuxOptions',
      'pod set forbidden securityContext.seLinuxOptions: user may not be set; role may not be set',
    ],
  ],
  [
    'lists bad types with pod and containers',
    LATEST,
    pod([c('a', { seLinuxOptions: { type: 'spc_t' } })], {
      securityContext: { seLinuxOptions: { type: 'bad', user: 'u' } },
    }),
    [
      'seLinuxOptions',
      'pod and container "a" set forbidden securityContext.seLinuxOptions: types "bad", "spc_t"; user may not be set',
    ],
  ],
]);

table('procMount', [
  ['allows Default', LATEST, pod([c('a', { procMount: 'Default' })]), undefined],
  [
    'forbids Unmasked',
    0,
    pod([c('a', { procMount: 'Unmasked' })]),
    ['procMount', 'container "a" must not set securityContext.procMount to "Unmasked"'],
  ],
  [
    'forbids Unmasked in a user namespace before v1.35',
    34,
    pod([c('a', { procMount: 'Unmasked' })], { hostUsers: false }),
    ['procMount', 'container "a" must not set securityContext.procMount to "Unmasked"'],
  ],
  [
    'allows Unmasked in a user namespace from v1.35',
    35,
    pod([c('a', { procMount: 'Unmasked' })], { hostUsers: false }),
    undefined,
  ],
]);

table('procMount_restricted', [
  [
    'forbids Unmasked even in a user namespace',
    35,
    pod([c('a', { procMount: 'Unmasked' })], { hostUsers: false }),
    ['procMount', 'container "a" must not set securityContext.procMount to "Unmasked"'],
  ],
]);

table('seccompProfile_baseline', [
  [
    'v1.0 forbids an unconfined pod annotation',
    0,
    pod([c('a')]),
    ['seccompProfile', 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"'],
    { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },
  ],
  [
    'v1.0 allows runtime/default, docker/default and localhost/ annotations',
    18,
    pod([c('a'), c('b')]),
    undefined,
    {
      annotations: {
        'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default',
        'container.seccomp.security.alpha.kubernetes.io/a': 'docker/default',
        'container.seccomp.security.alpha.kubernetes.io/b': 'localhost/x',
      },
    },
  ],
  [
    'v1.19 ignores annotations and forbids Unconfined fields',
    19,
    pod([c('a', { seccompProfile: { type: 'Unconfined' } })], {
      securityContext: { seccompProfile: { type: 'Unconfined' } },
    }),
    [
      'seccompProfile',
      'pod and container "a" must not set securityContext.seccompProfile.type to "Unconfined"',
    ],
    { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },
  ],
  ['v1.19 allows an unset profile', 19, pod([c('a')]), undefined],
]);

table('seccompProfile_restricted', [
  [
    'requires a profile',
    LATEST,
    pod([c('a'), c('b', { seccompProfile: { type: 'RuntimeDefault' } })]),
    [
      'seccompProfile',
      'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    ],
  ],
  [
    'accepts the pod-level profile',
    LATEST,
    pod([c('a')], { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
    undefined,
  ],
  [
    'reports explicit bad values before missing ones',
    LATEST,
    pod([c('a', { seccompProfile: { type: 'Unconfined' } }), c('b')]),
    ['seccompProfile', 'container "a" must not set securityContext.seccompProfile.type to "Unconfined"'],
  ],
  ['exempts windows pods from v1.25', 25, pod([c('a')], { os: { name: 'windows' } }), undefined],
  [
    'does not exempt windows pods before v1.25',
    24,
    pod([c('a')], { os: { name: 'windows' } }),
    [
      'seccompProfile',
      'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    ],
  ],
]);

table('sysctls', [
  [
    'allows safe sysctls',
    0,
    pod([c('a')], { securityContext: { sysctls: [{ name: 'kernel.shm_rmid_forced', value: '0' }] } }),
    undefined,
  ],
  [
    'forbids ip_local_reserved_ports before v1.27',
    26,
    pod([c('a')], {
      securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1' }] },
    }),
    ['forbidden sysctls', 'net.ipv4.ip_local_reserved_ports'],
  ],
  [
    'allows ip_local_reserved_ports from v1.27',
    27,
    pod([c('a')], {
      securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1' }] },
    }),
    undefined,
  ],
  [
    'allows tcp_keepalive_time from v1.29 but not tcp_rmem until v1.32',
    29,
    pod([c('a')], {
      securityContext: {
        sysctls: [
          { name: 'net.ipv4.tcp_keepalive_time', value: '1' },
          { name: 'net.ipv4.tcp_rmem', value: '1' },
        ],
      },
    }),
    ['forbidden sysctls', 'net.ipv4.tcp_rmem'],
  ],
  [
    'lists forbidden sysctls in order',
    LATEST,
    pod([c('a')], {
      securityContext: { sysctls: [{ name: 'kernel.msgmax' }, { name: 'net.core.somaxconn' }] },
    }),
    ['forbidden sysctls', 'kernel.msgmax, net.core.somaxconn'],
  ],
]);

table('windowsHostProcess', [
  ['allows false', LATEST, pod([c('a', { windowsOptions: { hostProcess: false } })]), undefined],
  [
    'forbids hostProcess on pod and containers',
    LATEST,
    pod([c('a', { windowsOptions: { hostProcess: true } })], {
      securityContext: { windowsOptions: { hostProcess: true } },
    }),
    ['hostProcess', 'pod and container "a" must not set securityContext.windowsOptions.hostProcess=true'],
  ],
]);

table('hostProbesAndHostLifecycle', [
  [
    'allows probes without host',
    LATEST,
    pod([c('a', undefined, { livenessProbe: { httpGet: { port: 80 } } })]),
    undefined,
  ],
  [
    'forbids hosts in probes and lifecycle hooks',
    34,
    pod([
      c('b', undefined, { readinessProbe: { tcpSocket: { host: '10.0.0.1', port: 1 } } }),
      c('a', undefined, { lifecycle: { preStop: { httpGet: { host: 'evil', port: 1 } } } }),
    ]),
    ['probe or lifecycle host', 'containers "a", "b" use probe or lifecycle hosts "10.0.0.1", "evil"'],
  ],
]);

table('restrictedVolumes', [
  [
    'allows the nine volume sources',
    LATEST,
    pod([c('a')], {
      volumes: [
        'configMap',
        'csi',
        'downwardAPI',
        'emptyDir',
        'ephemeral',
        'image',
        'persistentVolumeClaim',
        'projected',
        'secret',
      ].map((k) => ({ name: k, [k]: {} })),
    }),
    undefined,
  ],
  [
    'allows a volume the API server defaults to emptyDir',
    LATEST,
    pod([c('a')], { volumes: [{ name: 'v' }] }),
    undefined,
  ],
  [
    'forbids hostPath, nfs and unknown sources',
    0,
    pod([c('a')], {
      volumes: [
        { name: 'h', hostPath: { path: '/' } },
        { name: 'n', nfs: { server: 's', path: '/' } },
        { name: 'x', somethingNew: {} },
      ],
    }),
    [
      'restricted volume types',
      'volumes "h", "n", "x" use restricted volume types "hostPath", "nfs", "unknown"',
    ],
  ],
]);

table('allowPrivilegeEscalation', [
  ['allows false', LATEST, pod([c('a', { allowPrivilegeEscalation: false })]), undefined],
  [
    'requires false on every container',
    8,
    pod([c('a'), c('b', { allowPrivilegeEscalation: true }), c('c', { allowPrivilegeEscalation: false })]),
    [
      'allowPrivilegeEscalation != false',
      'containers "a", "b" must set securityContext.allowPrivilegeEscalation=false',
    ],
  ],
  ['exempts windows pods from v1.25', 25, pod([c('a')], { os: { name: 'windows' } }), undefined],
]);

table('runAsNonRoot', [
  ['accepts the pod level', LATEST, pod([c('a')], { securityContext: { runAsNonRoot: true } }), undefined],
  ['accepts every container', LATEST, pod([c('a', { runAsNonRoot: true })]), undefined],
  [
    'requires it somewhere',
    0,
    pod([c('a'), c('b', { runAsNonRoot: true })]),
    ['runAsNonRoot != true', 'pod or container "a" must set securityContext.runAsNonRoot=true'],
  ],
  [
    'forbids explicit false even with pod true',
    0,
    pod([c('a', { runAsNonRoot: false })], { securityContext: { runAsNonRoot: true } }),
    ['runAsNonRoot != true', 'container "a" must not set securityContext.runAsNonRoot=false'],
  ],
  [
    'names pod and containers that set false',
    0,
    pod([c('a', { runAsNonRoot: false }), c('b')], { securityContext: { runAsNonRoot: false } }),
    ['runAsNonRoot != true', 'pod and container "a" must not set securityContext.runAsNonRoot=false'],
  ],
  [
    'does not relax user-namespace pods before v1.35',
    34,
    pod([c('a')], { hostUsers: false }),
    ['runAsNonRoot != true', 'pod or container "a" must set securityContext.runAsNonRoot=true'],
  ],
  ['relaxes user-namespace pods from v1.35', 35, pod([c('a')], { hostUsers: false }), undefined],
]);

table('runAsUser', [
  ['allows unset and non-zero', LATEST, pod([c('a', { runAsUser: 1000 }), c('b')]), undefined],
  [
    'forbids 0 at pod and container level',
    23,
    pod([c('a', { runAsUser: 0 })], { securityContext: { runAsUser: 0 } }),
    ['runAsUser=0', 'pod and container "a" must not set runAsUser=0'],
  ],
  [
    'relaxes user-namespace pods from v1.35',
    35,
    pod([c('a', { runAsUser: 0 })], { hostUsers: false }),
    undefined,
  ],
]);

table('capabilities_restricted', [
  [
    'accepts drop ALL and add NET_BIND_SERVICE',
    LATEST,
    pod([c('a', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })]),
    undefined,
  ],
  [
    'requires drop ALL and forbids other adds',
    22,
    pod([c('a'), c('b', { capabilities: { drop: ['ALL'], add: ['CHOWN'] } })]),
    [
      'unrestricted capabilities',
      'container "a" must set securityContext.capabilities.drop=["ALL"]; container "b" must not include "CHOWN" in securityContext.capabilities.add',
    ],
  ],
  ['exempts windows pods from v1.25', 25, pod([c('a')], { os: { name: 'windows' } }), undefined],
]);

describe('the check tables', () => {
  it('cover every upstream check', () => {
    expect(PSS_CHECKS.map((k) => k.id).sort()).toEqual(
      [
        'allowPrivilegeEscalation',
        'appArmorProfile',
        'capabilities_baseline',
        'capabilities_restricted',
        'hostNamespaces',
        'hostPathVolumes',
        'hostPorts',
        'hostProbesAndHostLifecycle',
        'privileged',
        'procMount',
        'procMount_restricted',
        'restrictedVolumes',
        'runAsNonRoot',
        'runAsUser',
        'seLinuxOptions',
        'seccompProfile_baseline',
        'seccompProfile_restricted',
        'sysctls',
        'windowsHostProcess',
      ].sort(),
    );
  });
});
