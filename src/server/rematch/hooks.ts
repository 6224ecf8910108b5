import { describeError } from '../../core/index.js';
import type { JobOutput } from '../jobs/types.js';
import { brief, Notifier, newFindings } from '../notify/index.js';
import type { ClaimedJob, Store } from '../store/types.js';
import { advisoryDbPath, refreshAdvisoryDb } from './advisories.js';

export interface FleetHooks {
  beforeJob(job: ClaimedJob): Promise<void>;
  onOutput(job: ClaimedJob, out: JobOutput): Promise<void>;
}

/**
 * What every worker (in-process or `strata worker`) does around a job in fleet mode: bring its
 * advisory DB up to the newest recorded update first, and queue notifications of a scan's new
 * CRITICAL/HIGH findings (against the previous result of the same image digest) before the result
 * is written.
 */
export function fleetHooks(
  store: Store,
  db: string | undefined,
  log: { info(o: object, m: string): void; error(o: object, m: string): void },
): FleetHooks {
  const notifier = new Notifier(store);
  const dbPath = advisoryDbPath(db);
  return {
    async beforeJob(job) {
      try {
        if (await refreshAdvisoryDb(store, dbPath))
          log.info({ job: job.id, db: dbPath }, 'advisory DB refreshed');
      } catch (err) {
        // a mirror that is down must not stop scanning: the job runs with the DB this worker has
        log.error(
          { job: job.id, err: describeError(err) },
          'advisory DB refresh failed; using the current one',
        );
      }
    },
    async onOutput(job, out) {
      const result = out.result;
      const digest = result?.target.digest;
      if (!result || !digest) return;
      const previous = await store.rematch.latestResult(digest, job.id);
      const fresh = newFindings(result, previous?.result);
      await notifier.notify({
        type: 'findings.new',
        source: 'scan',
        image: result.target.name,
        digest,
        scan: job.id,
        findings: fresh.map(brief),
      });
    },
  };
}
