import { readFileSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { importAdvisories } from '../../scan/index.js';
import { defaultDbPath, updateDb } from '../../vuln/index.js';
import type { AdvisorySource } from '../store/fleet-types.js';
import type { Store } from '../store/types.js';

/**
 * Where the advisories live in fleet mode: every worker process keeps its own SQLite advisory DB
 * (`--db`, else the CLI's default path) and the server database records each update
 * (`advisory_updates`: an increasing version and the source it came from). The worker that runs a
 * `db-update` job updates its DB and records the next version; every other worker, before its next
 * job, sees a newer version than the one written beside its DB (`<db>.fleet.json`) and applies the
 * same source to its own DB. No DB file crosses the network and no worker scans with advisories
 * older than the newest recorded update.
 */
export function advisoryDbPath(db: string | undefined): string {
  return db ?? defaultDbPath();
}

const sidecar = (dbPath: string) => `${dbPath}.fleet.json`;

/** The update version this DB holds (0: none recorded). */
export function localAdvisoryVersion(dbPath: string): number {
  try {
    const v = (JSON.parse(readFileSync(sidecar(dbPath), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'number' ? v : 0;
  } catch {
    return 0;
  }
}

export async function markAdvisoryVersion(dbPath: string, version: number, updateId: string): Promise<void> {
  const tmp = `${sidecar(dbPath)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version, update: updateId, at: new Date().toISOString() })}\n`);
  await rename(tmp, sidecar(dbPath));
}

/** `strata db update` (a mirror) or `strata db import` (local exports) into `dbPath`; a summary to record. */
export async function applyAdvisorySource(
  dbPath: string,
  source: AdvisorySource,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  if (source.paths?.length) {
    const { counts } = await importAdvisories(source.paths, { db: dbPath });
    const { badRecords: _bad, ...rest } = counts;
    return { kind: 'import', paths: source.paths, ...rest };
  }
  const result = await updateDb(dbPath, {
    ...(source.mirror ? { mirror: source.mirror } : {}),
    ...(source.ecosystems?.length ? { ecosystems: source.ecosystems } : {}),
    ...(signal ? { signal } : {}),
  });
  return {
    kind: 'update',
    ecosystems: result.ecosystems.map((e) => ({
      ecosystem: e.ecosystem,
      notModified: e.notModified,
      imported: e.counts.imported,
      replaced: e.counts.replaced,
      removed: e.removed,
    })),
    missing: result.missing.map((m) => ({ ecosystem: m.ecosystem, reason: m.reason })),
  };
}

const refreshing = new Map<string, Promise<boolean>>();

/**
 * Brings this worker's advisory DB up to the newest recorded update (once at a time per DB file in
 * this process); true when it applied one. Nothing recorded yet: the DB is left as it is.
 */
export function refreshAdvisoryDb(store: Store, dbPath: string, signal?: AbortSignal): Promise<boolean> {
  const running = refreshing.get(dbPath);
  if (running) return running;
  const work = (async () => {
    const latest = await store.rematch.latestAdvisoryUpdate();
    if (!latest || localAdvisoryVersion(dbPath) >= latest.version) return false;
    await applyAdvisorySource(dbPath, latest.source, signal);
    await markAdvisoryVersion(dbPath, latest.version, latest.id);
    return true;
  })().finally(() => refreshing.delete(dbPath));
  refreshing.set(dbPath, work);
  return work;
}
