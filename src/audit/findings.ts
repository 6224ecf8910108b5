import { type AuditFinding, auditFinding, type Severity } from '../core/index.js';
import type { AuditRecord } from './events.js';
import { text } from './fields.js';
import type { Alert } from './rule-set.js';
import type { Priority } from './rule-types.js';

/**
 * Falco priority → Strata severity: EMERGENCY, ALERT, CRITICAL → CRITICAL; ERROR → HIGH;
 * WARNING → MEDIUM; NOTICE → LOW; INFO and DEBUG (informational, not a rating) → UNKNOWN.
 */
export const PRIORITY_SEVERITY: Readonly<Record<Priority, Severity>> = {
  EMERGENCY: 'CRITICAL',
  ALERT: 'CRITICAL',
  CRITICAL: 'CRITICAL',
  ERROR: 'HIGH',
  WARNING: 'MEDIUM',
  NOTICE: 'LOW',
  INFO: 'UNKNOWN',
  DEBUG: 'UNKNOWN',
};

const MAX_EXCERPT_TEXT = 256;
const EXCERPT_KEYS = [
  'stage',
  'requestURI',
  'sourceIPs',
  'userAgent',
  'objectRef',
  'responseStatus',
] as const;

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The event's identifying parts, strings cut to 256 characters: enough to find it in the log. */
export function eventExcerpt(event: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of EXCERPT_KEYS) {
    const v = event[key];
    if (v === undefined) continue;
    const s = JSON.stringify(v);
    out[key] = s.length > MAX_EXCERPT_TEXT ? `${s.slice(0, MAX_EXCERPT_TEXT)}…` : v;
  }
  const status = obj(event.responseStatus);
  if (status) out.responseStatus = { code: status.code, ...(status.reason ? { reason: status.reason } : {}) };
  return out;
}

/** `pods/exec` style: the resource and its subresource. */
function resourceOf(event: Record<string, unknown>): string | undefined {
  const ref = obj(event.objectRef);
  const resource = text(ref?.resource);
  if (!resource) return undefined;
  const sub = text(ref?.subresource);
  return sub ? `${resource}/${sub}` : resource;
}

/** `resource/namespace/name` of the request's object, as far as the event names it. */
function locationResource(event: Record<string, unknown>): string | undefined {
  const ref = obj(event.objectRef);
  const parts = [text(ref?.resource), text(ref?.namespace), text(ref?.name)].filter((p) => p !== undefined);
  return parts.length ? parts.join('/') : undefined;
}

/** One alert as a `kind: audit` finding (SPEC): the rule name as id, the priority as written. */
export function alertFinding(alert: Alert, record: AuditRecord): AuditFinding {
  const e = record.event;
  const user = text(obj(e.user)?.username);
  const verb = text(e.verb);
  const resource = resourceOf(e);
  const where = locationResource(e);
  return auditFinding({
    id: alert.rule,
    severity: PRIORITY_SEVERITY[alert.level],
    title: alert.output,
    location: { path: record.source, line: record.line, ...(where ? { resource: where } : {}) },
    evidence: {
      priority: alert.priority,
      output: alert.output,
      auditID: text(e.auditID) ?? '',
      ...(user !== undefined ? { user } : {}),
      ...(verb !== undefined ? { verb } : {}),
      ...(resource !== undefined ? { resource } : {}),
      event: eventExcerpt(e),
    },
  });
}
