import type { ObjectPath } from '../../../load/index.js';
import { isObj, obj, objs, str } from '../../view.js';
import { joinQuote, pluralize, sortedSet } from '../helpers.js';
import type { CheckPodFn, PssCheck } from '../types.js';

function sysctlsCheck(allowed: ReadonlySet<string>): CheckPodFn {
  return (_metadata, spec) => {
    const forbidden: string[] = [];
    const fields: ObjectPath[] = [];
    objs(obj(spec, 'securityContext'), 'sysctls').forEach((sysctl, i) => {
      const name = str(sysctl, 'name');
      if (!allowed.has(name)) {
        forbidden.push(name);
        fields.push(['spec', 'securityContext', 'sysctls', i, 'name']);
      }
    });
    if (forbidden.length === 0) return undefined;
    return { reason: 'forbidden sysctls', detail: forbidden.join(', '), fields };
  };
}

const SYSCTLS_1_0 = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
]);
const SYSCTLS_1_27 = new Set([...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports']);
const SYSCTLS_1_29 = new Set([
  ...SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SYSCTLS_1_32 = new Set([...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
const SYSCTLS_1_37 = new Set([
  ...SYSCTLS_1_32,
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

export const sysctls: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  title: 'Sysctls',
  description:
    'Sysctls can disable security mechanisms or affect the whole node; only a safe, namespaced subset is allowed.',
  severity: 'MEDIUM',
  versions: [
    { minimumVersion: 0, checkPod: sysctlsCheck(SYSCTLS_1_0) },
    { minimumVersion: 27, checkPod: sysctlsCheck(SYSCTLS_1_27) },
    { minimumVersion: 29, checkPod: sysctlsCheck(SYSCTLS_1_29) },
    { minimumVersion: 32, checkPod: sysctlsCheck(SYSCTLS_1_32) },
    { minimumVersion: 37, checkPod: sysctlsCheck(SYSCTLS_1_37) },
  ],
};

const ALLOWED_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** Restricted sources in upstream's order of precedence (a volume names only the first it matches). */
const RESTRICTED_VOLUME_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  title: 'Volume types',
  description:
    'Only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes are allowed.',
  severity: 'MEDIUM',
  versions: [
    {
      minimumVersion: 0,
      overrides: ['hostPathVolumes'],
      checkPod: (_metadata, spec) => {
        const bad: string[] = [];
        const types = new Set<string>();
        const fields: ObjectPath[] = [];
        objs(spec, 'volumes').forEach((volume, i) => {
          const sources = Object.keys(volume).filter((k) => k !== 'name' && isObj(volume[k]));
          // the API server defaults a volume without a source to emptyDir before admission sees it
          if (sources.length === 0 || sources.some((k) => ALLOWED_VOLUME_SOURCES.includes(k))) return;
          const type = RESTRICTED_VOLUME_SOURCES.find((k) => sources.includes(k)) ?? 'unknown';
          bad.push(str(volume, 'name'));
          types.add(type);
          fields.push(['spec', 'volumes', i, type === 'unknown' ? (sources[0] ?? 'name') : type]);
        });
        if (bad.length === 0) return undefined;
        const list = sortedSet(types);
        return {
          reason: 'restricted volume types',
          detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
          fields,
        };
      },
    },
  ],
};
