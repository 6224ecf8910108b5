import { statSync } from 'node:fs';
import { VulnError } from '../errors.js';
import type { AdvisoryDb } from './store.js';

export const META_UPDATED_AT = 'updated_at';
export const META_IMPORTED_AT = 'imported_at';
/** A scan warns when the database was last refreshed longer ago than this. */
export const STALE_AFTER_DAYS = 7;

export interface SourceStatus {
  readonly ecosystem: string;
  readonly url?: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly fetchedAt?: string;
  /** the last update could not download this export: why (`GET ...: HTTP 404`), and when */
  readonly missing?: string;
  readonly missingAt?: string;
}

export interface DbStatus {
  readonly path: string;
  readonly sizeBytes: number;
  readonly advisories: number;
  readonly withdrawn: number;
  /** the last successful `db update` or `db import` (ISO time), when there was one */
  readonly updatedAt?: string;
  readonly ecosystems: readonly { readonly ecosystem: string; readonly advisories: number }[];
  readonly sources: readonly SourceStatus[];
}

/** The last time the advisories were refreshed, by update or import. */
export function lastRefresh(db: AdvisoryDb): string | undefined {
  const times = [db.getMeta(META_UPDATED_AT), db.getMeta(META_IMPORTED_AT)].filter((t): t is string => !!t);
  return times.sort().at(-1);
}

export function dbStatus(db: AdvisoryDb): DbStatus {
  const counts = db.counts();
  const bySource = new Map<string, Record<string, string>>();
  for (const [key, value] of db.metaEntries('source:')) {
    const [, ecosystem, field] = /^source:(.+):([a-z_]+)$/.exec(key) ?? [];
    if (!ecosystem || !field) continue;
    const entry = bySource.get(ecosystem) ?? {};
    entry[field] = value;
    bySource.set(ecosystem, entry);
  }
  const sources = [...bySource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([ecosystem, f]) => ({
      ecosystem,
      ...(f.url ? { url: f.url } : {}),
      ...(f.etag ? { etag: f.etag } : {}),
      ...(f.last_modified ? { lastModified: f.last_modified } : {}),
      ...(f.fetched_at ? { fetchedAt: f.fetched_at } : {}),
      ...(f.missing ? { missing: f.missing } : {}),
      ...(f.missing_at ? { missingAt: f.missing_at } : {}),
    }));
  let sizeBytes = 0;
  try {
    sizeBytes = statSync(db.path).size;
  } catch {
    sizeBytes = 0;
  }
  const updatedAt = lastRefresh(db);
  return {
    path: db.path,
    sizeBytes,
    advisories: counts.advisories,
    withdrawn: counts.withdrawn,
    ...(updatedAt ? { updatedAt } : {}),
    ecosystems: counts.ecosystems,
    sources,
  };
}

export interface Freshness {
  readonly updatedAt?: string;
  readonly ageDays?: number;
  /** set when a scan should warn: the database is older than STALE_AFTER_DAYS or its age is unknown */
  readonly warning?: string;
}

/**
 * For scans: throws a clear error when the database holds no advisories, and returns a warning
 * when it is older than seven days.
 */
export function checkDbFreshness(db: AdvisoryDb, now: Date = new Date()): Freshness {
  if (!db.hasLiveAdvisories()) {
    throw new VulnError(
      'DB_NOT_FOUND',
      `the advisory database ${db.path} holds no advisories: run "strata db update" (or "strata db import <path>" offline)`,
    );
  }
  const updatedAt = lastRefresh(db);
  if (!updatedAt)
    return { warning: `the advisory database ${db.path} records no update time; run "strata db update"` };
  const ageDays = (now.getTime() - Date.parse(updatedAt)) / 86_400_000;
  if (ageDays > STALE_AFTER_DAYS) {
    return {
      updatedAt,
      ageDays,
      warning: `the advisory database was last updated ${Math.floor(ageDays)} days ago (${updatedAt}); run "strata db update"`,
    };
  }
  return { updatedAt, ageDays };
}
