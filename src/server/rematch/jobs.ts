import { randomUUID } from 'node:crypto';
import { parseWith, z } from '../../core/schema.js';
import type { JobType } from '../jobs/types.js';
import { advisoryDbPath, applyAdvisorySource, markAdvisoryVersion } from './advisories.js';
import { rematchAll } from './rematch.js';

export const DbUpdatePayload = z.object({
  /** base URL serving `<Ecosystem>/all.zip` (default: the OSV bucket) */
  mirror: z.string().url().optional(),
  ecosystems: z.array(z.string().min(1)).optional(),
  /** local OSV exports on the workers (zips, directories), imported as `strata db import` */
  paths: z.array(z.string().min(1)).optional(),
});
export type DbUpdatePayload = z.infer<typeof DbUpdatePayload>;

/**
 * `db-update`: `strata db update` (or `db import`) into this worker's advisory DB, the update
 * recorded with the next version (the other workers follow it before their next job), then every
 * stored inventory re-matched. The re-match's id is the job's: GET /api/v1/rematches/:jobId.
 */
export const dbUpdateJob: JobType<DbUpdatePayload> = {
  name: 'db-update',
  maxAttempts: 3,
  parse: (payload) => parseWith(DbUpdatePayload, payload, 'db-update job'),
  async run(payload, ctx) {
    const jobId = ctx.jobId ?? randomUUID();
    const dbPath = advisoryDbPath(ctx.db);
    const summary = await applyAdvisorySource(dbPath, payload, ctx.signal);
    const update = await ctx.store.rematch.recordAdvisoryUpdate({
      id: randomUUID(),
      jobId,
      source: payload,
      summary,
    });
    await markAdvisoryVersion(dbPath, update.version, update.id);
    await rematchAll({
      store: ctx.store,
      dbPath,
      id: jobId,
      updateId: update.id,
      advisoryVersion: update.version,
      signal: ctx.signal,
    });
    return { scanners: [] };
  },
};

export const RematchPayload = z.object({});

/** `rematch`: every stored inventory matched again against the advisories the worker has now. */
export const rematchJob: JobType<z.infer<typeof RematchPayload>> = {
  name: 'rematch',
  maxAttempts: 3,
  parse: (payload) => parseWith(RematchPayload, payload, 'rematch job'),
  async run(_payload, ctx) {
    const jobId = ctx.jobId ?? randomUUID();
    const latest = await ctx.store.rematch.latestAdvisoryUpdate();
    await rematchAll({
      store: ctx.store,
      dbPath: advisoryDbPath(ctx.db),
      id: jobId,
      ...(latest ? { updateId: latest.id, advisoryVersion: latest.version } : {}),
      signal: ctx.signal,
    });
    return { scanners: [] };
  },
};
