import { type ExposureFinding, exposureFinding } from '../core/finding/index.js';
import type { Severity } from '../core/severity.js';
import { targetName } from './targets.js';
import type { ProbeResponse, ProbeTarget } from './types.js';

export type ServiceName = 'kube-apiserver' | 'kubelet' | 'etcd' | 'docker' | 'registry' | 'dashboard';

export interface ExposureSpec {
  readonly id: string;
  readonly service: ServiceName;
  readonly severity: Severity;
  readonly title: string;
  readonly description: string;
  /** what the answer showed: versions, counts — never secret values */
  readonly seen: Readonly<Record<string, unknown>>;
  readonly references?: readonly string[];
}

/** One exposure: the request made, the status and what was seen, and how TLS looked. */
export function exposure(target: ProbeTarget, res: ProbeResponse, spec: ExposureSpec): ExposureFinding {
  return exposureFinding({
    id: spec.id,
    severity: spec.severity,
    title: spec.title,
    description: spec.description,
    location: { resource: targetName(target) },
    evidence: {
      service: spec.service,
      request: `${res.method} ${res.url}`,
      status: res.status,
      seen: spec.seen,
      tls: res.tls,
    },
    ...(spec.references ? { references: spec.references } : {}),
  });
}

/** The JSON object of a 2xx body, or undefined (bodies are untrusted: parsed once, here). */
export function jsonObject(res: ProbeResponse | undefined): Record<string, unknown> | undefined {
  if (!res || res.status < 200 || res.status > 299) return undefined;
  try {
    const v: unknown = JSON.parse(res.body);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function jsonArray(res: ProbeResponse | undefined): unknown[] | undefined {
  if (!res || res.status < 200 || res.status > 299) return undefined;
  try {
    const v: unknown = JSON.parse(res.body);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `items.length` plus the server's `metadata.remainingItemCount` when it paginated. */
export function itemCount(list: Record<string, unknown>): number | undefined {
  if (!Array.isArray(list.items)) return undefined;
  const meta = list.metadata as Record<string, unknown> | undefined;
  const remaining = Number(meta?.remainingItemCount ?? 0);
  return list.items.length + (Number.isFinite(remaining) ? remaining : 0);
}
