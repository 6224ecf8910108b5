import type { ObjectPath } from '../../../load/index.js';
import { bool, num, obj, objs, str, visitContainers } from '../../view.js';
import { containersPhrase, joinQuote, pluralize, sortedSet } from '../helpers.js';
import type { PssCheck } from '../types.js';

export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  title: 'Host namespaces',
  description: 'Sharing the host network, PID or IPC namespace must be disallowed.',
  severity: 'HIGH',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_metadata, spec) => {
        const set = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => bool(spec, k) === true);
        if (set.length === 0) return undefined;
        return {
          reason: 'host namespaces',
          detail: sortedSet(set).join(', '),
          fields: set.map((k) => ['spec', k]),
        };
      },
    },
  ],
};

export const hostPathVolumes: PssCheck = {
  id: 'hostPathVolumes',
  level: 'baseline',
  title: 'HostPath volumes',
  description: 'HostPath volumes must be forbidden.',
  severity: 'HIGH',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_metadata, spec) => {
        const names: string[] = [];
        const fields: ObjectPath[] = [];
        objs(spec, 'volumes').forEach((volume, i) => {
          if (obj(volume, 'hostPath')) {
            names.push(str(volume, 'name'));
            fields.push(['spec', 'volumes', i, 'hostPath']);
          }
        });
        if (names.length === 0) return undefined;
        return {
          reason: 'hostPath volumes',
          detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`,
          fields,
        };
      },
    },
  ],
};

export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  title: 'Host ports',
  description: 'HostPorts should be disallowed entirely.',
  severity: 'MEDIUM',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_metadata, spec) => {
        const bad: string[] = [];
        const ports = new Set<string>();
        const fields: ObjectPath[] = [];
        for (const c of visitContainers(spec)) {
          let valid = true;
          objs(c.container, 'ports').forEach((port, i) => {
            const hostPort = num(port, 'hostPort') ?? 0;
            if (hostPort !== 0) {
              valid = false;
              ports.add(String(hostPort));
              fields.push(['spec', ...c.path, 'ports', i, 'hostPort']);
            }
          });
          if (!valid) bad.push(c.name);
        }
        if (bad.length === 0) return undefined;
        const list = sortedSet(ports);
        return {
          reason: 'hostPort',
          detail: `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
          fields,
        };
      },
    },
  ],
};

export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  title: 'HostProcess',
  description: 'Windows pods must not run HostProcess containers, which give privileged access to the host.',
  severity: 'HIGH',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_metadata, spec) => {
        const fields: ObjectPath[] = [];
        const hostProcess = (sc: ReturnType<typeof obj>) =>
          bool(obj(sc, 'windowsOptions'), 'hostProcess') === true;
        const setters: string[] = [];
        if (hostProcess(obj(spec, 'securityContext'))) {
          setters.push('pod');
          fields.push(['spec', 'securityContext', 'windowsOptions', 'hostProcess']);
        }
        const bad: string[] = [];
        for (const c of visitContainers(spec)) {
          if (hostProcess(obj(c.container, 'securityContext'))) {
            bad.push(c.name);
            fields.push(['spec', ...c.path, 'securityContext', 'windowsOptions', 'hostProcess']);
          }
        }
        if (bad.length > 0) setters.push(containersPhrase(bad));
        if (setters.length === 0) return undefined;
        return {
          reason: 'hostProcess',
          detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
          fields,
        };
      },
    },
  ],
};

const HANDLERS = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
] as const;

export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  title: 'Host probes / lifecycle hooks',
  description:
    'The host field of probes and lifecycle hooks must not be set, so containers cannot reach the node.',
  severity: 'MEDIUM',
  versions: [
    {
      minimumVersion: 34,
      checkPod: (_metadata, spec) => {
        const bad = new Set<string>();
        const hosts = new Set<string>();
        const fields: ObjectPath[] = [];
        for (const c of visitContainers(spec)) {
          for (const path of HANDLERS) {
            const handler =
              path.length === 1 ? obj(c.container, path[0]) : obj(obj(c.container, path[0]), path[1]);
            for (const action of ['httpGet', 'tcpSocket'] as const) {
              const host = str(obj(handler, action), 'host');
              if (host === '') continue;
              bad.add(c.name);
              hosts.add(host);
              fields.push(['spec', ...c.path, ...path, action, 'host']);
            }
          }
        }
        if (bad.size === 0) return undefined;
        const names = sortedSet(bad);
        const list = sortedSet(hosts);
        return {
          reason: 'probe or lifecycle host',
          detail: `${containersPhrase(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', list.length)} ${joinQuote(list)}`,
          fields,
        };
      },
    },
  ],
};
