import { createHash } from 'node:crypto';
import type { Finding, ScanResult } from '../../core/index.js';
import type { JobRow, JobStatus, TokenRow } from './types.js';

/** What both stores write for one result: the dedup key and the rows of its findings. */
export interface ResultRows {
  readonly dedupKey: string;
  readonly digest: string | null;
  readonly scanners: string;
  readonly target: string;
  readonly json: string;
  readonly findings: readonly FindingRow[];
}

export interface FindingRow {
  readonly advisory: string;
  readonly aliases: string;
  readonly package: string | null;
  readonly version: string | null;
  readonly severity: string;
  readonly kind: string;
  readonly json: string;
  /** the cluster a cluster scan's finding came from (the result's target name) */
  readonly cluster: string | null;
  /** the namespace of `location.resource` (`Kind/namespace/name`) */
  readonly namespace: string | null;
}

/**
 * A result is deduplicated by image digest, scanner set and content: the same image scanned again
 * with the same advisories shares one row, a changed result (new advisories) is a new one.
 */
export function resultRows(result: ScanResult, scanners: readonly string[]): ResultRows {
  const json = JSON.stringify(result);
  const set = [...scanners].sort().join(',');
  const digest = result.target.digest ?? null;
  const content = createHash('sha256').update(json).digest('hex');
  const dedupKey = createHash('sha256')
    .update(`${digest ?? result.target.name}|${set}|${content}`)
    .digest('hex');
  return {
    dedupKey,
    digest,
    scanners: set,
    target: result.target.name,
    json,
    findings: result.findings.map((f) =>
      findingRow(f, result.target.type === 'cluster' ? result.target.name : null),
    ),
  };
}

/** `Kind/namespace/name` -> namespace; cluster-scoped `Kind/name` and other locations have none. */
export function namespaceOf(resource: string | undefined): string | null {
  const parts = resource?.split('/') ?? [];
  return parts.length === 3 && parts[1] ? parts[1] : null;
}

function findingRow(f: Finding, cluster: string | null): FindingRow {
  return {
    cluster,
    namespace: namespaceOf(f.location.resource),
    advisory: f.id,
    aliases: `|${(f.aliases ?? []).join('|')}|`,
    package: f.package?.name ?? null,
    version: f.package?.version ?? null,
    severity: f.severity,
    kind: f.kind,
    json: JSON.stringify(f),
  };
}

type Raw = Record<string, unknown>;
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

export function tokenFromRaw(r: Raw): TokenRow {
  const revokedAt = opt(r.revoked_at);
  return {
    id: String(r.id),
    name: String(r.name),
    scope: String(r.scope) as TokenRow['scope'],
    createdAt: String(r.created_at),
    ...(revokedAt ? { revokedAt } : {}),
  };
}

export function jobFromRaw(r: Raw): JobRow {
  const payload = typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload;
  const error = opt(r.error);
  const startedAt = opt(r.started_at);
  const finishedAt = opt(r.finished_at);
  const resultId = opt(r.result_id);
  return {
    id: String(r.id),
    type: String(r.type),
    payload: payload as Record<string, unknown>,
    status: String(r.status) as JobStatus,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    createdAt: String(r.created_at),
    ...(error ? { error } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(resultId ? { resultId } : {}),
  };
}

export const now = (): string => new Date().toISOString();
