import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HttpClient, type HttpClientOptions, redactUrl } from '../../transport/index.js';
import { VulnError } from '../errors.js';
import { DEFAULT_MIRROR } from '../light.js';
import { type DownloadResult, downloadExport } from './download.js';
import { assertExportAcceptable } from './export-check.js';
import { emptyCounts, type ImportCounts, importOsv } from './import.js';
import { META_UPDATED_AT } from './status.js';
import { type AdvisoryDb, openAdvisoryDb } from './store.js';

export { DEFAULT_MIRROR };

/**
 * The ecosystems Strata inventories, downloaded by default: every OS it detects that OSV
 * publishes (one export per distribution, the release inside each record: `Rocky Linux:9`,
 * `Ubuntu:Pro:22.04:LTS`, `SUSE:Linux Enterprise Server 15 SP5`) and every language ecosystem its
 * analyzers produce (npm, PyPI, Go, Maven, RubyGems, crates.io, Packagist, NuGet).
 */
export const DEFAULT_ECOSYSTEMS: readonly string[] = [
  'AlmaLinux',
  'Alpine',
  'Chainguard',
  'Debian',
  'Go',
  'Maven',
  'NuGet',
  'Packagist',
  'Photon OS',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'RubyGems',
  'SUSE',
  'Ubuntu',
  'Wolfi',
  'crates.io',
  'npm',
  'openSUSE',
];

/**
 * Default ecosystems the OSV bucket does not always carry (Photon OS's feed is an unofficial
 * conversion): their absence is a note, not a warning.
 */
export const OPTIONAL_ECOSYSTEMS: readonly string[] = ['Photon OS'];

export type UpdateProgress =
  | {
      readonly phase: 'download';
      readonly ecosystem: string;
      readonly bytes: number;
      readonly total?: number;
    }
  | { readonly phase: 'not-modified'; readonly ecosystem: string }
  | { readonly phase: 'missing'; readonly ecosystem: string; readonly missing: MissingExport }
  | { readonly phase: 'import'; readonly ecosystem: string; readonly counts: Readonly<ImportCounts> };

export interface UpdateOptions {
  readonly mirror?: string;
  readonly ecosystems?: readonly string[];
  readonly offline?: boolean;
  readonly onProgress?: (p: UpdateProgress) => void;
  /** ends the whole update (the command's --timeout) */
  readonly signal?: AbortSignal;
  /** transport options (tests: retry timing, caps, proxy environment) */
  readonly http?: HttpClientOptions;
}

export interface EcosystemUpdate {
  readonly ecosystem: string;
  readonly url: string;
  readonly notModified: boolean;
  readonly counts: ImportCounts;
  readonly removed: number;
}

/** An ecosystem whose export could not be had this time: the others were imported without it. */
export interface MissingExport {
  readonly ecosystem: string;
  readonly url: string;
  /** one line: `GET URL: HTTP 404 (...)`, a broken transfer... */
  readonly reason: string;
  /** a default ecosystem the source may not publish (a note rather than a warning) */
  readonly optional: boolean;
  /** when the database still holds this ecosystem's advisories from an earlier update, that update's time */
  readonly keptFrom?: string;
}

export interface UpdateResult {
  readonly path: string;
  /** the ecosystems downloaded (or unchanged since the last update), by name */
  readonly ecosystems: readonly EcosystemUpdate[];
  /** the ecosystems whose export was missing or failed: warned about, not imported */
  readonly missing: readonly MissingExport[];
  /** every ecosystem whose advisories the database now holds from an export (this update's and kept ones) */
  readonly present: readonly string[];
}

function nothingDownloaded(
  mirror: string,
  missing: readonly { entry: MissingExport; error: VulnError }[],
): VulnError {
  const only = missing.length === 1 ? missing[0] : undefined;
  if (only) return new VulnError('DOWNLOAD_FAILED', only.error.message, { cause: only.error });
  const first = missing[0];
  return new VulnError(
    'DOWNLOAD_FAILED',
    `no advisory export could be downloaded from ${redactUrl(mirror).replace(/\/+$/, '')} (${missing.length} ecosystems${first ? `; first: ${first.error.message}` : ''}); the database was not changed`,
    ...(first ? [{ cause: first.error }] : []),
  );
}

/** The ecosystems whose export the database holds: fetched at some update (one missing now keeps its earlier advisories). */
function presentEcosystems(db: AdvisoryDb): string[] {
  const fetched = new Set<string>();
  for (const [k] of db.metaEntries('source:')) {
    const m = /^source:(.+):fetched_at$/.exec(k);
    if (m?.[1]) fetched.add(m[1]);
  }
  return [...fetched].sort();
}

function exportUrl(mirror: string, ecosystem: string): string {
  return `${mirror.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

/**
 * Downloads each ecosystem's OSV export (conditionally: ETag / Last-Modified remembered per ecosystem),
 * imports it into a copy of the database, and swaps the copy in with one rename: readers see the old
 * database or the new one, never a half-written file. Advisories an export no longer lists are removed.
 * An export the mirror does not have (404) or cannot send is listed in `missing` and the others are
 * imported (its earlier advisories, if any, are kept); when no export at all could be had, or the
 * mirror cannot be reached, the update fails and the database is left as it was.
 */
export async function updateDb(dbPath: string, opts: UpdateOptions = {}): Promise<UpdateResult> {
  if (opts.offline) {
    throw new VulnError(
      'OFFLINE',
      'db update downloads advisories but --offline was given: use "strata db import <path>" with a downloaded export',
    );
  }
  const mirror = opts.mirror ?? DEFAULT_MIRROR;
  const ecosystems = [...new Set(opts.ecosystems?.length ? opts.ecosystems : DEFAULT_ECOSYSTEMS)].sort();
  const http = new HttpClient({
    userAgent: 'strata-db-update',
    ...opts.http,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  await mkdir(dirname(dbPath), { recursive: true });
  const work = await mkdtemp(join(dirname(dbPath), '.strata-update-'));
  const tempDb = join(work, 'strata.db');
  try {
    if (existsSync(dbPath)) await copyFile(dbPath, tempDb);
    const db = openAdvisoryDb(tempDb);
    const results: EcosystemUpdate[] = [];
    const missing: { entry: MissingExport; error: VulnError }[] = [];
    let present: string[] = [];
    try {
      for (const ecosystem of ecosystems) {
        const url = exportUrl(mirror, ecosystem);
        const key = (f: string): string => `source:${ecosystem}:${f}`;
        const sameUrl = db.getMeta(key('url')) === url;
        const zipPath = join(work, `${ecosystem.replace(/[^A-Za-z0-9.-]/g, '_')}.zip`);
        let got: DownloadResult;
        try {
          got = await downloadExport(
            http,
            url,
            sameUrl ? { etag: db.getMeta(key('etag')), lastModified: db.getMeta(key('last_modified')) } : {},
            zipPath,
            (bytes, total) =>
              opts.onProgress?.({ phase: 'download', ecosystem, bytes, ...(total ? { total } : {}) }),
          );
        } catch (err) {
          if (!(err instanceof VulnError) || err.code !== 'EXPORT_UNAVAILABLE' || opts.signal?.aborted)
            throw err;
          const keptFrom = db.getMeta(key('fetched_at'));
          const entry: MissingExport = {
            ecosystem,
            url,
            reason: err.message,
            optional: !opts.ecosystems?.length && OPTIONAL_ECOSYSTEMS.includes(ecosystem),
            ...(keptFrom ? { keptFrom } : {}),
          };
          missing.push({ entry, error: err });
          db.transaction(() => {
            db.setMeta(key('missing'), err.message);
            db.setMeta(key('missing_at'), new Date().toISOString());
          });
          opts.onProgress?.({ phase: 'missing', ecosystem, missing: entry });
          await rm(zipPath, { force: true });
          continue;
        }
        const fetchedAt = new Date().toISOString();
        db.deleteMeta(key('missing'));
        db.deleteMeta(key('missing_at'));
        if (got.notModified) {
          opts.onProgress?.({ phase: 'not-modified', ecosystem });
          db.setMeta(key('fetched_at'), fetchedAt);
          results.push({ ecosystem, url, notModified: true, counts: emptyCounts(), removed: 0 });
          continue;
        }
        const seen = new Set<string>();
        const origin = `export:${ecosystem}`;
        const counts = await importOsv(
          db,
          [zipPath],
          (c) => opts.onProgress?.({ phase: 'import', ecosystem, counts: c }),
          { origin, seen },
        );
        const removed = db.transaction(() => db.pruneOrigin(origin, seen));
        // validate, then swap: a bad export fails the update here, before the rename, so the
        // database in place stays as it was
        assertExportAcceptable({ ecosystem, url, counts, kept: seen.size, removed });
        db.transaction(() => {
          db.setMeta(key('url'), url);
          db.setMeta(key('etag'), got.etag ?? '');
          db.setMeta(key('last_modified'), got.lastModified ?? '');
          db.setMeta(key('fetched_at'), fetchedAt);
        });
        await rm(zipPath, { force: true });
        results.push({ ecosystem, url, notModified: false, counts, removed });
      }
      // nothing could be had: an error, never "updated, 0 advisories"; the database stays as it was
      if (results.length === 0) throw nothingDownloaded(mirror, missing);
      db.setMeta(META_UPDATED_AT, new Date().toISOString());
      present = presentEcosystems(db);
    } finally {
      db.close();
    }
    await rename(tempDb, dbPath);
    return { path: dbPath, ecosystems: results, missing: missing.map((m) => m.entry), present };
  } finally {
    await rm(work, { recursive: true, force: true });
    await http.close();
  }
}
