import { createHash } from 'node:crypto';
import { buildResult, type ScanResult } from '../../core/index.js';
import { DETECTORS, finalizeResult } from '../../scan/index.js';
import { type AdvisoryDb, MATCHER_NAME, openAdvisoryDb } from '../../vuln/index.js';
import { diffResults } from '../diff.js';
import { contractOf } from '../jobs/types.js';
import { brief, NOTIFY_SEVERITIES, Notifier } from '../notify/index.js';
import type { RematchImage, RematchRow } from '../store/fleet-types.js';
import type { Store } from '../store/types.js';

const vulnDetector = (() => {
  const d = DETECTORS.find((x) => x.scanner === 'vuln');
  if (!d) throw new Error('no vuln detector registered');
  return d;
})();

/**
 * A stored result matched again: its vulnerability findings (and the matcher's errors) replaced
 * by what the same detector `strata image` runs finds in the same packages with the DB now open,
 * every other finding kept, then assembled and finalized as the scan-image job does. Nothing is
 * pulled: the packages and OS are the stored result's.
 */
export async function rematchResult(
  stored: ScanResult,
  db: AdvisoryDb,
  now = new Date(),
): Promise<ScanResult> {
  const others = stored.findings.filter((f) => f.kind !== 'vulnerability');
  const errors = stored.errors.filter((e) => e.analyzer !== MATCHER_NAME);
  const inventory = buildResult({ ...stored, findings: others, errors });
  const detected = await vulnDetector.detect({ inventory, db, now });
  const result = buildResult({
    target: stored.target,
    ...(stored.os ? { os: stored.os } : {}),
    ...(stored.layers ? { layers: stored.layers } : {}),
    packages: stored.packages,
    findings: [...others, ...detected.findings],
    errors: [...errors, ...detected.errors],
  });
  return contractOf(finalizeResult(result, { suppression: { suppressors: [], warnings: [] } }).shown);
}

/**
 * The advisory DB for many inventories in a row: package lookups and counts are remembered across
 * images (a fleet's images share base layers, so the same packages come back); the DB is read-only
 * for the whole re-match, so the answers cannot change under it.
 */
export function memoizedDb(db: AdvisoryDb): AdvisoryDb {
  const lookups = new Map<string, ReturnType<AdvisoryDb['lookup']>>();
  let counts: ReturnType<AdvisoryDb['counts']> | undefined;
  const memo = Object.create(db) as AdvisoryDb;
  Object.assign(memo, {
    lookup(ecosystem: string, name: string) {
      const key = `${ecosystem}\u0000${name}`;
      let hit = lookups.get(key);
      if (!hit) {
        hit = db.lookup(ecosystem, name);
        lookups.set(key, hit);
      }
      return hit;
    },
    counts() {
      counts ??= db.counts();
      return counts;
    },
  });
  return memo;
}

/** JSON with sorted keys: PostgreSQL's jsonb does not keep key order, so compare content this way. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

const vulnPart = (r: ScanResult) =>
  canonical({
    f: r.findings.filter((f) => f.kind === 'vulnerability'),
    e: r.errors.filter((e) => e.analyzer === MATCHER_NAME),
  });

/** A UUID-shaped id derived from its parts: the same re-match of the same image has the same scan id. */
export function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface RematchOptions {
  readonly store: Store;
  readonly dbPath: string;
  /** the re-match's id (the job's): its records are keyed by it, so a retried job writes them once */
  readonly id: string;
  readonly updateId?: string;
  readonly advisoryVersion?: number;
  readonly signal?: AbortSignal;
  readonly now?: Date;
}

/**
 * Re-matches every stored inventory: for each image digest, the newest result its vuln scanner
 * made is matched against the advisory DB; a changed result is recorded as a `rematch-image` scan,
 * the new findings (not in that result) listed, and new CRITICAL/HIGH ones notified.
 */
export async function rematchAll(options: RematchOptions): Promise<RematchRow> {
  const { store, id } = options;
  const notifier = new Notifier(store);
  const done = new Set((await store.rematch.rematchImages(id)).map((i) => i.digest));
  const digests = await store.rematch.inventoryDigests();
  const opened = openAdvisoryDb(options.dbPath, { readonly: true });
  const db = memoizedDb(opened);
  try {
    for (const digest of digests) {
      options.signal?.throwIfAborted();
      if (done.has(digest)) continue;
      const latest = await store.rematch.latestResult(digest);
      // an image scanned without the vuln scanner has nothing to re-match
      if (!latest) continue;
      const next = await rematchResult(latest.result, db, options.now);
      const changed = vulnPart(next) !== vulnPart(latest.result);
      const diff = diffResults(next, latest.result);
      const scan = changed ? derivedId(id, digest) : undefined;
      const image: RematchImage = {
        digest,
        target: latest.target,
        previousScan: latest.scanId,
        ...(scan ? { scan } : {}),
        newFindings: diff.new.map(brief),
        fixed: diff.fixed.length,
      };
      // the notice first: a crash between the two repeats the image, never loses the notice
      if (diff.new.some((f) => NOTIFY_SEVERITIES.has(f.severity)))
        await notifier.notify({
          type: 'findings.new',
          source: 'rematch',
          image: latest.target,
          digest,
          ...(scan ? { scan } : {}),
          rematch: id,
          findings: diff.new.map(brief),
        });
      await store.rematch.recordRematchImage(id, {
        ...image,
        ...(changed ? { result: next } : {}),
        scanners: latest.scanners,
      });
    }
  } finally {
    opened.close();
  }
  const items = await store.rematch.rematchImages(id);
  const summary = {
    id,
    ...(options.updateId ? { updateId: options.updateId } : {}),
    ...(options.advisoryVersion !== undefined ? { advisoryVersion: options.advisoryVersion } : {}),
    images: items.length,
    changed: items.filter((i) => i.scan).length,
    affected: items.filter((i) => i.newFindings.length > 0).length,
  };
  await store.rematch.finishRematch(summary);
  return (await store.rematch.getRematch(id)) ?? { ...summary, createdAt: new Date().toISOString(), items };
}
