import { tolerant, z } from '../../core/schema.js';
import type { MtlsMode, PeerAuthentication, SourceRef } from './types.js';
import { Labels, Metadata, mapping, type ResourceInput, readObject } from './values.js';

export interface CniEncryption {
  readonly provider: string;
  readonly mechanism: string;
  readonly source: SourceRef;
}

const truthy = (v: unknown): boolean => v === true || v === 'true';

/** Cilium's `cilium-config` ConfigMap: `enable-wireguard` / `enable-ipsec`. */
export function ciliumEncryption(r: ResourceInput): CniEncryption[] {
  const { data } = readObject(z.object({ data: mapping(z.record(z.string(), z.unknown())) }), r.object);
  const source = { file: r.file, line: r.line };
  const out: CniEncryption[] = [];
  if (truthy(data['enable-wireguard'])) out.push({ provider: 'cilium', mechanism: 'wireguard', source });
  if (truthy(data['enable-ipsec'])) out.push({ provider: 'cilium', mechanism: 'ipsec', source });
  return out;
}

/** Calico's cluster-wide `FelixConfiguration` `default`: `wireguardEnabled` (per-node ones are not read). */
export function calicoEncryption(r: ResourceInput): CniEncryption[] {
  const { spec } = readObject(z.object({ spec: mapping(z.record(z.string(), z.unknown())) }), r.object);
  const source = { file: r.file, line: r.line };
  return truthy(spec.wireguardEnabled) || truthy(spec.wireguardEnabledV6)
    ? [{ provider: 'calico', mechanism: 'wireguard', source }]
    : [];
}

const MODES = ['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'] as const satisfies readonly MtlsMode[];

const PeerAuthenticationDocument = z.object({
  metadata: Metadata,
  spec: mapping(
    z.object({
      mtls: mapping(
        z.object({
          mode: z.preprocess(
            (v) => v ?? 'UNSET',
            z.enum(MODES, {
              error: (i) => `expected STRICT, PERMISSIVE, DISABLE or UNSET, got ${JSON.stringify(i.input)}`,
            }),
          ),
        }),
      ),
      // a selector that is not a mapping is ignored (the policy covers the namespace), as before
      selector: tolerant(z.record(z.string(), z.unknown())).pipe(
        z.object({ matchLabels: Labels }).optional(),
      ),
    }),
  ),
});

/** Istio `PeerAuthentication`: mTLS mode for the mesh (root namespace), a namespace or selected workloads. */
export function parsePeerAuthentication(r: ResourceInput): PeerAuthentication {
  const { metadata: meta, spec } = readObject(PeerAuthenticationDocument, r.object);
  const sel = spec.selector?.matchLabels;
  return {
    namespace: meta.namespace,
    name: meta.name,
    ...(sel && Object.keys(sel).length > 0 ? { selector: sel } : {}),
    mode: spec.mtls.mode,
    source: { file: r.file, line: r.line },
  };
}
