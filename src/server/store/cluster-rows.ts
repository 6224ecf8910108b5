import type { ClusterRow, ClusterScanRow, ClusterSettings, JobStatus } from './types.js';

type Raw = Record<string, unknown>;
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/** A `clusters` row as both stores read it (never the kubeconfig column). */
export function clusterFromRaw(r: Raw): ClusterRow {
  const watchSeconds = num(r.watch_seconds);
  const nextScanAt = num(r.next_scan_at);
  const lastJobId = opt(r.last_job_id);
  return {
    id: String(r.id),
    name: String(r.name),
    settings: json(r.settings) as ClusterSettings,
    ...(watchSeconds !== undefined ? { watchSeconds } : {}),
    ...(nextScanAt !== undefined ? { nextScanAt } : {}),
    ...(lastJobId ? { lastJobId } : {}),
    createdAt: String(r.created_at),
  };
}

/** A `cluster_scans` row joined with its job (`status`, `result_id`). */
export function clusterScanFromRaw(r: Raw): ClusterScanRow {
  const resultId = opt(r.result_id);
  const error = opt(r.error);
  return {
    jobId: String(r.job_id),
    clusterId: String(r.cluster_id),
    status: String(r.status) as JobStatus,
    images: json(r.images),
    changes: json(r.changes),
    createdAt: String(r.created_at),
    ...(resultId ? { resultId } : {}),
    ...(error ? { error } : {}),
  };
}

export const CLUSTER_COLUMNS = 'id, name, settings, watch_seconds, next_scan_at, last_job_id, created_at';
export const CLUSTER_SCAN_SELECT = `SELECT s.job_id, s.cluster_id, s.images, s.changes, s.created_at, j.status, j.result_id, j.error
  FROM cluster_scans s JOIN jobs j ON j.id = s.job_id`;
