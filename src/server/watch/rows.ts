import type { AlertRow, RegistryWatchConfig, WatchRow, WatchStats } from './types.js';

type Raw = Record<string, unknown>;

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

export function watchFromRaw(r: Raw): WatchRow {
  const lastJobId = opt(r.last_job_id);
  const lastRunAt = opt(r.last_run_at);
  const lastStats =
    r.last_stats === null || r.last_stats === undefined ? undefined : json<WatchStats>(r.last_stats);
  return {
    id: String(r.id),
    name: String(r.name),
    kind: 'registry',
    config: json<RegistryWatchConfig>(r.config),
    interval: Number(r.interval_seconds),
    nextRunAt: Number(r.next_run_at),
    ...(lastJobId ? { lastJobId } : {}),
    ...(lastRunAt ? { lastRunAt } : {}),
    ...(lastStats ? { lastStats } : {}),
    createdAt: String(r.created_at),
  };
}

export function alertFromRaw(r: Raw): AlertRow {
  const severity = opt(r.severity);
  const watchId = opt(r.watch_id);
  const jobId = opt(r.job_id);
  return {
    id: String(r.id),
    seq: Number(r.seq),
    kind: String(r.kind),
    level: String(r.level) as AlertRow['level'],
    ...(severity ? { severity } : {}),
    subject: String(r.subject),
    message: String(r.message),
    details: json<Record<string, unknown>>(r.details),
    ...(watchId ? { watchId } : {}),
    ...(jobId ? { jobId } : {}),
    createdAt: String(r.created_at),
  };
}
