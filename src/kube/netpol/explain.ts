import { endpointLabel, resolveEndpoint, resolvePort } from './endpoints.js';
import { evaluate, type SideVerdict } from './evaluate.js';
import type { Cluster } from './types.js';

export interface DecidingPolicy {
  readonly policy: string;
  readonly file: string;
  readonly line: number;
  /** the rule that allowed the connection; null for an isolating policy none of whose rules did */
  readonly rule: number | null;
  readonly ruleLine?: number;
  readonly peer?: number | null;
  readonly portEntry?: number | null;
}

export interface SideExplanation {
  readonly allowed: boolean;
  readonly isolated: boolean;
  readonly reason: string;
  readonly policies: readonly DecidingPolicy[];
}

export interface Explanation {
  readonly allowed: boolean;
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: string;
  readonly portName?: string;
  readonly egress: SideExplanation;
  readonly ingress: SideExplanation;
}

function side(v: SideVerdict): SideExplanation {
  const policies: DecidingPolicy[] = v.allowed
    ? v.rules.map((r) => ({
        policy: r.policy,
        file: r.file,
        line: r.line,
        rule: r.rule,
        ruleLine: r.ruleLine,
        peer: r.peer,
        portEntry: r.portEntry,
      }))
    : v.policies.map((p) => ({ ...p, rule: null }));
  return { allowed: v.allowed, isolated: v.isolated, reason: v.reason, policies };
}

/** Allowed or denied, and which policies and rules decided, on both sides (SPEC.md `netpol explain`). */
export function explain(cluster: Cluster, from: string, to: string, portSpec: string): Explanation {
  const src = resolveEndpoint(cluster, from);
  const dst = resolveEndpoint(cluster, to);
  const { port, protocol, name } = resolvePort(portSpec, dst);
  const v = evaluate(cluster, { src, dst, port, protocol });
  return {
    allowed: v.allowed,
    from: endpointLabel(src),
    to: endpointLabel(dst),
    port,
    protocol,
    ...(name ? { portName: name } : {}),
    egress: side(v.egress),
    ingress: side(v.ingress),
  };
}

export function renderExplanation(e: Explanation): string {
  const line = (label: string, s: SideExplanation) =>
    [
      `${label}: ${s.allowed ? 'allowed' : 'DENIED'} — ${s.reason}`,
      ...s.policies.map(
        (p) =>
          `  ${p.rule === null ? 'isolated by' : 'allowed by'} ${p.policy}${p.rule === null ? '' : ` rule ${p.rule}`} (${p.file}:${p.ruleLine ?? p.line})`,
      ),
    ].join('\n');
  return `${e.from} -> ${e.to} ${e.port}/${e.protocol}${e.portName ? ` (${e.portName})` : ''}: ${e.allowed ? 'ALLOWED' : 'DENIED'}\n${line('egress', e.egress)}\n${line('ingress', e.ingress)}\n`;
}
