import { type FlagSet, LIST_FLAGS } from './flags.js';
import type { Component, Setting, Settings } from './types.js';

/** Settings read from command-line flags (static pod, process line, kubeadm extraArgs). */
export function flagSettings(
  component: Component,
  flags: FlagSet,
  completeness: Settings['completeness'],
  location: Settings['location'],
): Settings {
  return {
    component,
    completeness,
    location,
    get: (key) => {
      if (!LIST_FLAGS.has(key)) return flags.get(key);
      const list = flags.list(key);
      return list ? { value: list.values.join(','), line: list.line } : flags.get(key);
    },
    list: (key) => flags.list(key),
    describe: (key) => `--${key}`,
  };
}

/** KubeletConfiguration fields for the kubelet flags the checks name, with the file format's defaults (v1beta1). */
const KUBELET_FIELDS: Record<string, { path: readonly string[]; default?: string }> = {
  'anonymous-auth': { path: ['authentication', 'anonymous', 'enabled'], default: 'false' },
  'authorization-mode': { path: ['authorization', 'mode'], default: 'Webhook' },
  'client-ca-file': { path: ['authentication', 'x509', 'clientCAFile'] },
  'read-only-port': { path: ['readOnlyPort'], default: '0' },
  'streaming-connection-idle-timeout': { path: ['streamingConnectionIdleTimeout'] },
  'make-iptables-util-chains': { path: ['makeIPTablesUtilChains'], default: 'true' },
  'rotate-certificates': { path: ['rotateCertificates'] },
  'protect-kernel-defaults': { path: ['protectKernelDefaults'], default: 'false' },
  'tls-cipher-suites': { path: ['tlsCipherSuites'] },
  'feature-gates': { path: ['featureGates'] },
};

function at(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String).join(',');
  if (typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => `${k}=${String(x)}`)
      .join(',');
  return String(v);
}

/** Settings read from a KubeletConfiguration object; absent fields take the file format's defaults. */
export function kubeletConfigSettings(
  object: Record<string, unknown>,
  lineOf: (path: readonly string[]) => number | undefined,
  location: Settings['location'],
): Settings {
  const get = (key: string): Setting | undefined => {
    const field = KUBELET_FIELDS[key];
    const value = field ? text(at(object, field.path)) : undefined;
    if (!field || value === undefined) return undefined;
    return { value, line: lineOf(field.path) ?? location.line };
  };
  return {
    component: 'kubelet',
    completeness: 'full',
    location,
    get,
    list: (key) => {
      const s = get(key);
      return s ? { values: s.value.split(',').filter(Boolean), line: s.line } : undefined;
    },
    describe: (key) => KUBELET_FIELDS[key]?.path.join('.') ?? key,
    defaultOf: (key) => KUBELET_FIELDS[key]?.default,
  };
}
