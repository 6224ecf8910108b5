import type { MtlsMode, PeerAuthentication, SourceRef } from './types.js';
import { FieldError, isObj, labels, metadata, obj, optString, type ResourceInput } from './values.js';

export interface CniEncryption {
  readonly provider: string;
  readonly mechanism: string;
  readonly source: SourceRef;
}

const truthy = (v: unknown): boolean => v === true || v === 'true';

/** Cilium's `cilium-config` ConfigMap: `enable-wireguard` / `enable-ipsec`. */
export function ciliumEncryption(r: ResourceInput): CniEncryption[] {
  const data = obj(r.object.data, 'data');
  const source = { file: r.file, line: r.line };
  const out: CniEncryption[] = [];
  if (truthy(data['enable-wireguard'])) out.push({ provider: 'cilium', mechanism: 'wireguard', source });
  if (truthy(data['enable-ipsec'])) out.push({ provider: 'cilium', mechanism: 'ipsec', source });
  return out;
}

/** Calico's cluster-wide `FelixConfiguration` `default`: `wireguardEnabled` (per-node ones are not read). */
export function calicoEncryption(r: ResourceInput): CniEncryption[] {
  const spec = obj(r.object.spec, 'spec');
  const source = { file: r.file, line: r.line };
  return truthy(spec.wireguardEnabled) || truthy(spec.wireguardEnabledV6)
    ? [{ provider: 'calico', mechanism: 'wireguard', source }]
    : [];
}

const MODES: readonly MtlsMode[] = ['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'];

/** Istio `PeerAuthentication`: mTLS mode for the mesh (root namespace), a namespace or selected workloads. */
export function parsePeerAuthentication(r: ResourceInput): PeerAuthentication {
  const meta = metadata(r.object);
  const spec = obj(r.object.spec, 'spec');
  const mtls = obj(spec.mtls, 'spec.mtls');
  const mode = (optString(mtls.mode, 'spec.mtls.mode') ?? 'UNSET') as MtlsMode;
  if (!MODES.includes(mode)) throw new FieldError('spec.mtls.mode', `unknown mode ${JSON.stringify(mode)}`);
  const sel = isObj(spec.selector)
    ? labels(obj(spec.selector, 'spec.selector').matchLabels, 'spec.selector.matchLabels')
    : undefined;
  return {
    namespace: meta.namespace,
    name: meta.name,
    ...(sel && Object.keys(sel).length > 0 ? { selector: sel } : {}),
    mode,
    source: { file: r.file, line: r.line },
  };
}
